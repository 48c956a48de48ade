package io.imagebuilder.deploy.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.BackgroundProcess;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Python process that runs ansible-runner jobs one after another through ansible-runner's own Python interface
 * ({@code ansible_runner.run}), in the interpreter ansible-runner's program is written for. Each job still runs
 * ansible-playbook as a process of its own, with the same private data directory, settings and artifacts as
 * {@code ansible-runner run}; what the job no longer pays for is starting Python and loading ansible-runner.
 * Idle workers are kept for the next operation; one that is stopped (cancelled, timed out) is not reused.
 */
final class RunnerWorker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String SCRIPT = script();
    private static final Deque<RunnerWorker> IDLE = new ArrayDeque<>();
    /** Programs whose worker could not start: they are run as commands from then on. */
    private static final Set<String> UNSUITED = new HashSet<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    /**
     * Jobs a worker runs before another takes its place: a server's workers live for weeks, and whatever a job
     * leaves behind in the Python process stays bounded.
     */
    private static final int MAX_JOBS = 500;

    private final String executable;
    private final BackgroundProcess process;
    private final BlockingQueue<JsonNode> answers;
    private int jobs;

    private RunnerWorker(String executable, BackgroundProcess process, BlockingQueue<JsonNode> answers) {
        this.executable = executable;
        this.process = process;
        this.answers = answers;
    }

    /**
     * An idle worker for the ansible-runner program {@code executable}, started when none is idle; null when that
     * program is not a Python script whose interpreter can load ansible-runner (then it is run as a command).
     */
    static RunnerWorker acquire(String executable) {
        synchronized (IDLE) {
            if (UNSUITED.contains(executable)) return null;
            for (var it = IDLE.iterator(); it.hasNext(); ) {
                RunnerWorker w = it.next();
                if (w.executable.equals(executable)) {
                    it.remove();
                    if (w.process.isRunning()) return w;
                }
            }
        }
        RunnerWorker started = start(executable);
        if (started == null) {
            synchronized (IDLE) {
                UNSUITED.add(executable);
            }
        }
        return started;
    }

    /** Gives the worker back for the next operation, unless it was stopped or has run its share of jobs. */
    void release() {
        if (!process.isRunning()) return;
        if (++jobs >= MAX_JOBS) {
            end();
            return;
        }
        synchronized (IDLE) {
            IDLE.push(this);
        }
    }

    private static RunnerWorker start(String executable) {
        List<String> interpreter = interpreter(executable);
        if (interpreter == null) return null;
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(RunnerWorker::endIdle, "image-builder-runner-workers"));
        }
        BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        try {
            List<String> args = new java.util.ArrayList<>(interpreter.subList(1, interpreter.size()));
            args.addAll(List.of("-c", SCRIPT));
            BackgroundProcess process = BackgroundProcess.served(ProcessRunner.command(interpreter.get(0), args),
                    null, line -> {
                        JsonNode answer = parse(line);
                        if (answer != null) answers.add(answer);
                    });
            RunnerWorker worker = new RunnerWorker(executable, process, answers);
            JsonNode ready = worker.next(START_TIMEOUT);
            if (ready == null || !ready.has("ready")) {
                process.stopTree();
                return null;
            }
            return worker;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Ends the idle workers: their input closes, and each ends at once. Until they have, the threads reading their
     * output are in native code, and the JVM would wait 0.3 s for them at exit.
     */
    private static void endIdle() {
        List<RunnerWorker> idle;
        synchronized (IDLE) {
            idle = List.copyOf(IDLE);
            IDLE.clear();
        }
        idle.forEach(RunnerWorker::end);
    }

    /** Ends the worker: its input closes and it ends by itself; stopped if it has not within a second. */
    private void end() {
        try {
            process.input().close();
        } catch (IOException e) {
            process.stopTree();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (process.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (process.isRunning()) process.stopTree();
    }

    /**
     * Runs one job: ansible-playbook with the playbook of {@code projectDir}, in the private data directory
     * {@code workDir}. The exit code is the playbook's, or -1 when the run was stopped.
     *
     * @throws IOException when the worker cannot take the job or ends during it
     */
    ProcessResult run(Path workDir, Path playbook, String ident, LineSink output, Duration timeout,
                      Cancellation cancellation) throws IOException {
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable stopper = () -> {
            cancelled.set(true);
            process.stopTree();
        };
        if (cancellation != null && !cancellation.register(stopper)) return new ProcessResult(-1, false, true);
        try {
            Map<String, String> request = Map.of("private_data_dir", workDir.toString(),
                    "playbook", playbook.getFileName().toString(), "project_dir", playbook.getParent().toString(),
                    "ident", ident);
            OutputStream in = process.input();
            in.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode answer = next(Duration.ofMillis(Math.max(1, Math.min(200,
                        (deadline - System.nanoTime()) / 1_000_000))));
                if (answer == null) {
                    if (cancelled.get()) return new ProcessResult(-1, false, true);
                    if (System.nanoTime() >= deadline) {
                        process.stopTree();
                        return new ProcessResult(-1, true, false);
                    }
                    if (!process.isRunning() && answers.isEmpty()) {
                        throw new IOException(executable + " ended: " + String.join(" / ", process.lastLines()));
                    }
                } else if (answer.has("out")) {
                    answer.get("out").asText().lines().forEach(l -> output.line(l.replace("\r", "")));
                } else if (cancelled.get()) {
                    // ansible-runner may still report the job it stopped on the signal before its worker ends
                    return new ProcessResult(-1, false, true);
                } else if (answer.has("status")) {
                    return new ProcessResult(answer.path("rc").asInt(-1), false, false);
                } else if (answer.has("error")) {
                    throw new IOException(executable + ": " + answer.get("error").asText());
                }
            }
        } catch (IOException e) {
            if (cancelled.get()) return new ProcessResult(-1, false, true);
            process.stopTree();
            throw e;
        } finally {
            if (cancellation != null) cancellation.unregister(stopper);
        }
    }

    private JsonNode next(Duration wait) throws IOException {
        try {
            return answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.stopTree();
            throw new IOException("interrupted");
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null; // not an answer
        }
    }

    /**
     * The interpreter line of the ansible-runner program (such as {@code /usr/bin/python3}, or {@code /usr/bin/env
     * python3}), or null when it is not a Python script.
     */
    static List<String> interpreter(String executable) {
        Path program = locate(executable);
        if (program == null) return null;
        String first;
        try (InputStream in = Files.newInputStream(program)) {
            byte[] head = in.readNBytes(256);
            first = new String(head, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        } catch (IOException e) {
            return null;
        }
        if (!first.startsWith("#!")) return null;
        List<String> words = List.of(first.substring(2).strip().split("\\s+"));
        String last = Path.of(words.get(words.size() - 1)).getFileName().toString();
        return words.get(0).isEmpty() || !last.startsWith("python") ? null : words;
    }

    private static Path locate(String executable) {
        if (executable.indexOf('/') >= 0) {
            Path p = Path.of(executable);
            return Files.isRegularFile(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static String script() {
        try (InputStream in = RunnerWorker.class.getResourceAsStream("runner_worker.py")) {
            if (in == null) throw new IllegalStateException("runner_worker.py is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read runner_worker.py", e);
        }
    }
}
