package io.imagebuilder.exec;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** A long-running helper process (such as an SSH master connection) that lives until it is stopped. */
public final class BackgroundProcess implements AutoCloseable {

    private static final int KEPT_LINES = 20;

    private final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    private final ProcessWatchdog watchdog = new ProcessWatchdog();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final java.util.concurrent.CompletableFuture<OutputStream> input =
            new java.util.concurrent.CompletableFuture<>();
    /** Lines received so far; guarded by lastLines. */
    private long received;

    private BackgroundProcess() {
    }

    /** Starts the command; its output lines are kept (the last few) for error messages. */
    public static BackgroundProcess start(CommandLine command, Map<String, String> environment) throws IOException {
        return start(command, environment, null);
    }

    /**
     * Starts the command with {@code stdin} as its standard input (null: none); the process sees its input end
     * only when that stream ends, which lets a remote command live exactly as long as this process wants.
     */
    public static BackgroundProcess start(CommandLine command, Map<String, String> environment,
                                          java.io.InputStream stdin) throws IOException {
        BackgroundProcess p = new BackgroundProcess();
        LogOutputStream lines = p.kept();
        p.launch(command, environment, new PumpStreamHandler(lines, lines, stdin));
        return p;
    }

    /**
     * Starts a command this program talks to: it writes to the command's standard input ({@link #input()}) and
     * gets each line of its standard output in {@code out}; its standard error is kept as {@link #lastLines()}.
     */
    public static BackgroundProcess served(CommandLine command, Map<String, String> environment, LineSink out)
            throws IOException {
        BackgroundProcess p = new BackgroundProcess();
        PumpStreamHandler pumps = new PumpStreamHandler(new LogOutputStream(0, StandardCharsets.UTF_8) {
            @Override
            protected void processLine(String line, int level) {
                out.line(line);
            }
        }, p.kept());
        p.launch(command, environment, new ExecuteStreamHandler() {
            @Override
            public void setProcessInputStream(OutputStream os) {
                p.input.complete(os);
            }

            @Override
            public void setProcessErrorStream(InputStream is) {
                pumps.setProcessErrorStream(is);
            }

            @Override
            public void setProcessOutputStream(InputStream is) {
                pumps.setProcessOutputStream(is);
            }

            @Override
            public void start() {
                pumps.start();
            }

            @Override
            public void stop() throws IOException {
                pumps.stop();
            }
        });
        return p;
    }

    /** The standard input of a {@link #served} command. */
    public OutputStream input() throws IOException {
        try {
            return input.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a process");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the process did not start", e);
        }
    }

    /** Stops the process and every process it started. */
    public void stopTree() {
        Process p = watchdog.process;
        if (p != null) ProcessRunner.stopTree(p);
    }

    private void launch(CommandLine command, Map<String, String> environment, ExecuteStreamHandler streams)
            throws IOException {
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(streams);
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        executor.execute(ParentDeath.bound(command, environment), environment, result);
    }

    /** A stream whose lines are kept as the last lines. */
    private LogOutputStream kept() {
        return new LogOutputStream(0, StandardCharsets.UTF_8) {
            @Override
            protected void processLine(String line, int level) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    received++;
                    if (lastLines.size() > KEPT_LINES) lastLines.removeFirst();
                    lastLines.notifyAll();
                }
            }
        };
    }

    /** The process itself, not its output pumps: those may wait on an input that is still open. */
    public boolean isRunning() {
        Process p = watchdog.process;
        return p != null ? p.isAlive() : !result.hasResult();
    }

    /**
     * Waits until the process prints a line starting with {@code prefix} and returns the rest of it; null when the
     * process ends first or the wait runs out.
     */
    public String awaitLine(String prefix, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lastLines) {
            while (true) {
                for (String line : lastLines) {
                    if (line.startsWith(prefix)) return line.substring(prefix.length());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !isRunning()) return null;
                lastLines.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            }
        }
    }

    /** What the process printed last, for telling the user why it stopped. */
    public List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /**
     * What an ended process printed last. Its output is passed on by threads of their own, which may still hold
     * the last lines when the process is gone: waits until some output has come and none for a moment since,
     * at most {@code wait}.
     */
    public List<String> finalLines(java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long settle = java.time.Duration.ofMillis(100).toNanos();
        synchronized (lastLines) {
            long seen = received;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (received != seen) {
                    seen = received;
                    quietSince = System.nanoTime();
                } else if (received > 0 && System.nanoTime() - quietSince >= settle) {
                    break;
                }
                lastLines.wait(20);
            }
            return List.copyOf(lastLines);
        }
    }

    /** Keeps hold of the process so that its liveness can be asked directly. */
    @SuppressWarnings("deprecation")
    private static final class ProcessWatchdog extends ExecuteWatchdog {
        private volatile Process process;

        ProcessWatchdog() {
            super(ExecuteWatchdog.INFINITE_TIMEOUT);
        }

        @Override
        public synchronized void start(Process processToMonitor) {
            process = processToMonitor;
            super.start(processToMonitor);
        }
    }

    @Override
    public void close() {
        Process p = watchdog.process;
        if (isRunning()) watchdog.destroyProcess();
        try {
            // the process's own exit, not the result handler's, which is looked at only every 50 ms
            if (p != null) p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            else result.waitFor(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
