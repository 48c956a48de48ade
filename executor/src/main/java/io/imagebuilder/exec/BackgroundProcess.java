package io.imagebuilder.exec;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.IOException;
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
        DefaultExecutor executor = DefaultExecutor.builder().get();
        LogOutputStream lines = new LogOutputStream(0, StandardCharsets.UTF_8) {
            @Override
            protected void processLine(String line, int level) {
                synchronized (p.lastLines) {
                    p.lastLines.addLast(line);
                    p.received++;
                    if (p.lastLines.size() > KEPT_LINES) p.lastLines.removeFirst();
                    p.lastLines.notifyAll();
                }
            }
        };
        executor.setStreamHandler(new PumpStreamHandler(lines, lines, stdin));
        executor.setWatchdog(p.watchdog);
        executor.setExitValues(null);
        executor.execute(ParentDeath.bound(command, environment), environment, p.result);
        return p;
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
        if (isRunning()) watchdog.destroyProcess();
        try {
            result.waitFor(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
