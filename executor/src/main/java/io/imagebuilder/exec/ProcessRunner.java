package io.imagebuilder.exec;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one external command given as an argument list (never a shell string), streaming its output line by line.
 * A timeout or a cancellation stops the process and every process it started.
 */
public final class ProcessRunner {

    private ProcessRunner() {
    }

    /**
     * @param stdin bytes written to the process's standard input (how secrets are passed), or null
     * @param timeout null for none
     */
    public static ProcessResult run(CommandLine command, Map<String, String> environment, Path workingDirectory,
                                    byte[] stdin, LineSink out, LineSink err, Duration timeout,
                                    Cancellation cancellation) throws IOException {
        TreeWatchdog watchdog = new TreeWatchdog(timeout);
        Runnable stopper = watchdog::stopTree;
        if (cancellation != null && !cancellation.register(stopper)) {
            return new ProcessResult(-1, false, true);
        }
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workingDirectory == null ? null : workingDirectory.toFile()).get();
        executor.setExitValues(null);
        InputStream in = stdin == null ? null : new ByteArrayInputStream(stdin);
        try (LineStream outStream = new LineStream(out); LineStream errStream = new LineStream(err)) {
            executor.setStreamHandler(new PumpStreamHandler(outStream, errStream, in));
            executor.setWatchdog(watchdog);
            int code;
            try {
                code = executor.execute(ParentDeath.bound(command, environment), environment);
            } catch (ExecuteException e) {
                code = e.getExitValue();
            }
            return new ProcessResult(code, watchdog.timedOut(), watchdog.stoppedOnRequest());
        } finally {
            if (cancellation != null) cancellation.unregister(stopper);
        }
    }

    /** Stops the whole process tree: tools such as ansible-runner and docker start children of their own. */
    @SuppressWarnings("deprecation")
    private static final class TreeWatchdog extends ExecuteWatchdog {
        private final AtomicBoolean stopped = new AtomicBoolean();
        /** Set when the timeout fires on a live process: it may exit by itself once its children are killed. */
        private final AtomicBoolean expired = new AtomicBoolean();
        private volatile Process process;

        TreeWatchdog(Duration timeout) {
            // the builder cannot be subclassed; this constructor is the way to extend the watchdog
            super(timeout == null ? ExecuteWatchdog.INFINITE_TIMEOUT : timeout.toMillis());
        }

        @Override
        public synchronized void start(Process processToMonitor) {
            this.process = processToMonitor;
            super.start(processToMonitor);
            if (stopped.get()) stopTree(); // cancelled while it was starting
        }

        @Override
        public synchronized void timeoutOccured(org.apache.commons.exec.Watchdog w) {
            Process p = process;
            if (p != null && p.isAlive()) expired.set(true);
            killDescendants();
            super.timeoutOccured(w);
        }

        boolean timedOut() {
            return (expired.get() || killedProcess()) && !stopped.get();
        }

        boolean stoppedOnRequest() {
            return stopped.get();
        }

        void stopTree() {
            stopped.set(true);
            killDescendants();
            destroyProcess();
        }

        private void killDescendants() {
            Process p = process;
            if (p != null) ProcessRunner.stopTree(p);
        }
    }

    /** TERM to the process and all its children at once, then KILL whatever is still there shortly after. */
    static void stopTree(Process p) {
        java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(p.toHandle().descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Splits a byte stream into lines for a sink. */
    private static final class LineStream extends LogOutputStream {
        private final LineSink sink;

        LineStream(LineSink sink) {
            super(0, StandardCharsets.UTF_8);
            this.sink = sink;
        }

        @Override
        protected void processLine(String line, int level) {
            sink.line(line);
        }
    }

    public static CommandLine command(String executable, String... args) {
        CommandLine cmd = new CommandLine(executable);
        for (String a : args) cmd.addArgument(a, false);
        return cmd;
    }

    public static CommandLine command(String executable, java.util.List<String> args) {
        CommandLine cmd = new CommandLine(executable);
        for (String a : args) cmd.addArgument(a, false);
        return cmd;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
