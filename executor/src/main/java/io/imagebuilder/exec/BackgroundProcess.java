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
    private final ExecuteWatchdog watchdog = ExecuteWatchdog.builder()
            .setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION).get();
    private final Deque<String> lastLines = new ArrayDeque<>();

    private BackgroundProcess() {
    }

    /** Starts the command; its output lines are kept (the last few) for error messages. */
    public static BackgroundProcess start(CommandLine command, Map<String, String> environment) throws IOException {
        BackgroundProcess p = new BackgroundProcess();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        LogOutputStream lines = new LogOutputStream(0, StandardCharsets.UTF_8) {
            @Override
            protected void processLine(String line, int level) {
                synchronized (p.lastLines) {
                    p.lastLines.addLast(line);
                    if (p.lastLines.size() > KEPT_LINES) p.lastLines.removeFirst();
                }
            }
        };
        executor.setStreamHandler(new PumpStreamHandler(lines, lines, null));
        executor.setWatchdog(p.watchdog);
        executor.setExitValues(null);
        executor.execute(command, environment, p.result);
        return p;
    }

    public boolean isRunning() {
        return !result.hasResult();
    }

    /** What the process printed last, for telling the user why it stopped. */
    public List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
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
