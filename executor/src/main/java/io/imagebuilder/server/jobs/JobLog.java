package io.imagebuilder.server.jobs;

import io.imagebuilder.deploy.Console;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.server.db.JobStore;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A build's console, written line by line to the build_log table, so any server sharing the database can serve
 * and follow it. The build already masks the secrets it knows; the request's passwords are masked here again in
 * case a tool echoes one in a form the build did not expect.
 */
final class JobLog extends Writer {

    private static final int MAX_LINE = 16_384;

    private final JobStore store;
    private final String id;
    private final Redactor secrets;
    private final AtomicInteger lines = new AtomicInteger();
    private final StringBuilder pending = new StringBuilder();

    private JobLog(JobStore store, String id, List<String> secrets) {
        this.store = store;
        this.id = id;
        this.secrets = new Redactor(new HashSet<>(secrets));
    }

    /**
     * A log that goes on after the lines the job already has: the line its claim wrote, and for an undeployment
     * its deployment's before.
     */
    static JobLog continuing(JobStore store, String id, List<String> secrets) {
        JobLog log = new JobLog(store, id, secrets);
        log.lines.set(store.lastLogLine(id));
        return log;
    }

    Console console() {
        return new Console(new PrintWriter(this, true));
    }

    synchronized void line(String text) {
        store.appendLog(id, lines.incrementAndGet(), masked(text));
    }

    /**
     * Ends the log with {@code text}, which is returned numbered and masked instead of written: the caller writes it
     * with the job's end, in one transaction.
     */
    synchronized JobStore.NewLine last(String text) {
        close();
        return new JobStore.NewLine(lines.incrementAndGet(), masked(text));
    }

    private String masked(String text) {
        String masked = secrets.redact(text);
        return masked.length() > MAX_LINE ? masked.substring(0, MAX_LINE) + " [line cut]" : masked;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                line(pending.toString());
                pending.setLength(0);
            } else if (c != '\r') {
                pending.append(c);
            }
        }
    }

    @Override
    public synchronized void flush() {
    }

    @Override
    public synchronized void close() {
        if (!pending.isEmpty()) {
            line(pending.toString());
            pending.setLength(0);
        }
    }
}
