package io.imagebuilder.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.request.ApiProblem;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job's log, from line {@code after} on: as text (followed with ?follow=true), as JSON lines with their numbers
 * and times, or as Server-Sent Events (Accept: text/event-stream) whose ids are line numbers, so a browser that
 * reconnects with Last-Event-ID goes on where it left off. The event stream ends with an "end" event.
 */
final class JobLogs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MS = 200;
    private static final int BATCH = 1000;
    private static final String TEXT_CUT = "(this server is stopping: the log stream ends here; the job goes on, "
            + "and its log can be followed again)\n";
    private static final String EVENTS_CUT = ": this server is stopping; reconnect to go on\n\n";

    private final JobStore store;
    private final AtomicInteger following = new AtomicInteger();
    private volatile boolean stopping;

    JobLogs(JobStore store) {
        this.store = store;
    }

    void answer(Context ctx, Job job) throws Exception {
        int after = after(ctx);
        String accept = ctx.header("Accept") == null ? "" : ctx.header("Accept");
        // HEAD has no body to stream: it answers as the log so far would
        boolean head = ctx.method() == HandlerType.HEAD;
        if (accept.contains("text/event-stream") && !head) {
            stream(ctx, job, after, true);
        } else if (accept.contains("application/json")) {
            page(ctx, job, after);
        } else if (BuildsApi.flag(ctx, "follow") && !head) {
            stream(ctx, job, after, false);
        } else {
            StringBuilder sb = new StringBuilder();
            for (JobStore.LogLine line : lines(job, after)) sb.append(line.text()).append('\n');
            ctx.contentType("text/plain; charset=utf-8").result(sb.toString());
        }
    }

    /** ?after=N, or on a browser's reconnect the Last-Event-ID it last saw. */
    private static int after(Context ctx) {
        String lastEvent = ctx.header("Last-Event-ID");
        String after = lastEvent != null && !lastEvent.isBlank() ? lastEvent.strip() : ctx.queryParam("after");
        if (after == null) return 0;
        try {
            int n = Integer.parseInt(after);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.of(400, "Invalid after", (lastEvent != null ? "Last-Event-ID" : "after")
                + " must be a line number (0 or more)");
    }

    private List<JobStore.LogLine> lines(Job job, int after) {
        List<JobStore.LogLine> all = new ArrayList<>();
        List<JobStore.LogLine> batch;
        while (!(batch = store.log(job.id(), after, BATCH)).isEmpty()) {
            all.addAll(batch);
            after = batch.get(batch.size() - 1).number();
        }
        return all;
    }

    /** The lines so far as JSON; {@code complete} once the job has ended, so no line can follow. */
    private void page(Context ctx, Job job, int after) {
        // read the state first: lines written after it are included, none written before it can be missed
        boolean ended = job.status().isFinal();
        List<Map<String, Object>> lines = new ArrayList<>();
        int last = after;
        for (JobStore.LogLine line : lines(job, after)) {
            lines.add(lineJson(line));
            last = line.number();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", lines);
        out.put("last_line", last);
        out.put("status", job.status().text());
        out.put("complete", ended);
        ApiServer.json(ctx, out);
    }

    private static Map<String, Object> lineJson(JobStore.LogLine line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line.number());
        m.put("time", line.time() == null ? null : line.time().toString());
        m.put("text", line.text());
        return m;
    }

    /** Streams as the job writes, until it has ended and every line is out, or this server stops. */
    private void stream(Context ctx, Job job, int after, boolean events) throws Exception {
        ctx.status(200);
        ctx.res().setContentType(events ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-store");
        OutputStream out = ctx.res().getOutputStream();
        following.incrementAndGet();
        try {
            while (true) {
                Job now = store.byId(job.id()).orElse(null);
                List<JobStore.LogLine> lines = store.log(job.id(), after, BATCH);
                for (JobStore.LogLine line : lines) {
                    out.write(utf8(events ? "id: " + line.number() + "\ndata: " + json(lineJson(line)) + "\n\n"
                            : line.text() + "\n"));
                    after = line.number();
                }
                if (!lines.isEmpty()) out.flush();
                if (lines.isEmpty() && (now == null || now.status().isFinal())) {
                    if (events) out.write(utf8("event: end\ndata: " + json(end(now)) + "\n\n"));
                    break;
                }
                if (lines.isEmpty() && stopping) {
                    out.write(utf8(events ? EVENTS_CUT : TEXT_CUT));
                    break;
                }
                if (lines.isEmpty()) Thread.sleep(POLL_MS);
            }
            out.flush();
        } catch (IOException e) {
            // the client went away
        } finally {
            following.decrementAndGet();
        }
    }

    private static Map<String, Object> end(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", job == null ? null : job.status().text());
        m.put("error", job == null ? null : JobJson.error(job));
        return m;
    }

    /**
     * Ends every followed log before the server stops: a job that has ended gets its last lines, any other a line
     * saying why the stream ends. Waits up to {@code wait} for the streams to end.
     */
    void stopFollowing(Duration wait) {
        stopping = true;
        long deadline = System.nanoTime() + wait.toNanos();
        while (following.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MS / 4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
