package io.imagebuilder.server.api;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.jobs.RequestFiles;
import io.imagebuilder.server.jobs.Workers;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The /builds endpoints. Every one sees only the builds of the caller's API key; others' are "not found". */
final class BuildsApi {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    private static final long CANCEL_WAIT_MS = 20_000;

    private final ServerConfig config;
    private final JobStore store;
    private final SecretBox box;
    private final Workers workers;
    private final ImageBuilder facade = new ImageBuilder(Path.of(""));
    private final JobLogs logs;

    BuildsApi(ServerConfig config, JobStore store, SecretBox box, Workers workers) {
        this.config = config;
        this.store = store;
        this.box = box;
        this.workers = workers;
        this.logs = new JobLogs(store);
    }

    void submit(Context ctx) throws IOException {
        String owner = ApiServer.owner(ctx);
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isEmpty() || key.length() > 200 || !key.matches("[\\x21-\\x7e]+"))) {
            throw ApiProblem.of(400, "Invalid Idempotency-Key", "Idempotency-Key must be 1 to 200 visible ASCII "
                    + "characters");
        }
        boolean dryRun = flag(ctx, "dry_run");
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase().matches("application/([\\w.-]+\\+)?json\\s*(;.*)?")) {
            throw ApiProblem.of(415, "Unsupported Media Type", "send the build request as application/json");
        }
        byte[] body = readBody(ctx);
        Submission submission = Submission.parse(body);
        if (!config.allowLocalSources() && !submission.localSources().isEmpty()) {
            throw Submission.invalid("The request names local sources.", submission.localSources());
        }
        String digest = box.fingerprint(body);
        if (key != null) {
            var earlier = store.byIdempotencyKey(owner, key);
            if (earlier.isPresent()) {
                replay(ctx, earlier.get(), digest, dryRun, submission);
                return;
            }
        }
        check(submission.buildFile());
        String id = UUID.randomUUID().toString();
        Job job;
        try {
            job = store.insert(new JobStore.NewJob(id, owner, key, digest, dryRun, submission.redacted(),
                    box.seal(body), Job.BUILD, null));
        } catch (JobStore.DuplicateKeyException e) {
            replay(ctx, store.byIdempotencyKey(owner, key).orElseThrow(), digest, dryRun, submission);
            return;
        }
        workers.wake();
        ctx.status(202).header("Location", "/builds/" + job.id());
        ApiServer.json(ctx, JobJson.accepted(job, submission.warnings()));
    }

    /** The answer to a repeated request with the same Idempotency-Key: the job it made the first time. */
    private static void replay(Context ctx, Job earlier, String digest, boolean dryRun, Submission submission) {
        if (!earlier.requestDigest().equals(digest) || earlier.dryRun() != dryRun) {
            throw ApiProblem.of(422, "Idempotency-Key reused", "this Idempotency-Key was used for a different "
                    + "request (build " + earlier.id() + ")");
        }
        ctx.status(200).header("Location", "/builds/" + earlier.id());
        ApiServer.json(ctx, JobJson.accepted(earlier, submission.warnings()));
    }

    /** Runs the build command's own checks on the document, in a private file that is removed right after. */
    private void check(byte[] body) {
        String name = UUID.randomUUID().toString();
        Path dir = config.stateDir().resolve("incoming").resolve(name);
        try {
            Path file = RequestFiles.write(dir, body);
            facade.planBuild(RequestFiles.request(file, config.buildHost(), null));
        } catch (InvalidInputException e) {
            throw Submission.invalid(e, name + "/" + RequestFiles.NAME);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request for checking: " + e.getMessage(), e);
        } finally {
            RequestFiles.delete(dir);
        }
    }

    byte[] readBody(Context ctx) throws IOException {
        long max = config.maxBodyBytes();
        if (ctx.contentLength() > max) throw tooLarge(max);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) throw tooLarge(max);
            return body;
        }
    }

    private static ApiProblem tooLarge(long max) {
        return ApiProblem.of(413, "Content Too Large", "the request body is larger than " + max + " bytes");
    }

    void get(Context ctx) {
        ApiServer.cacheableJson(ctx, full(job(ctx)));
    }

    void list(Context ctx) {
        String owner = ApiServer.owner(ctx);
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String s : ctx.queryParams("status")) {
            statuses.add(JobStatus.parse(s).orElseThrow(() -> ApiProblem.of(400, "Invalid status", "status \""
                    + s + "\" is not one of queued, running, succeeded, failed, cancelled")));
        }
        int limit = DEFAULT_LIMIT;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiProblem.of(400, "Invalid limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        long before = 0;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) before = decodeCursor(cursor);
        // one row more than the page tells whether a next page exists
        List<Job> jobs = store.list(owner, Job.BUILD, statuses, limit + 1, before);
        boolean more = jobs.size() > limit;
        if (more) jobs = jobs.subList(0, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Job j : jobs) {
            Map<String, Object> m = JobJson.summary(j);
            m.put("links", JobJson.links(j));
            items.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        String next = more ? encodeCursor(jobs.get(jobs.size() - 1).seq()) : null;
        out.put("next_cursor", next);
        if (next != null) ctx.header("Link", nextLink(ctx, next));
        ApiServer.cacheableJson(ctx, out);
    }

    void log(Context ctx) throws Exception {
        streamLog(ctx, job(ctx));
    }

    /** A job's log: as text, JSON or events, from a line on, followed or not (see {@link JobLogs}). */
    void streamLog(Context ctx, Job job) throws Exception {
        logs.answer(ctx, job);
    }

    /** Ends every followed log before the server stops; waits up to {@code wait} for the streams to end. */
    void stopFollowing(Duration wait) {
        logs.stopFollowing(wait);
    }

    void cancel(Context ctx) throws InterruptedException {
        String owner = ApiServer.owner(ctx);
        Job job = job(ctx);
        if (job.status().isFinal()) {
            throw ApiProblem.of(409, "Build already ended", "build " + job.id() + " already " + job.status().text());
        }
        if (job.status() == JobStatus.QUEUED && store.cancelQueued(job.id(), owner)) {
            ApiServer.json(ctx, full(store.byId(job.id()).orElseThrow()));
            return;
        }
        store.requestCancel(job.id(), owner);
        long deadline = System.currentTimeMillis() + CANCEL_WAIT_MS;
        Job now = store.byId(job.id()).orElseThrow();
        while (!now.status().isFinal() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            now = store.byId(job.id()).orElseThrow();
        }
        ctx.status(now.status().isFinal() ? 200 : 202);
        ApiServer.json(ctx, full(now));
    }

    private Map<String, Object> full(Job j) {
        return JobJson.full(j, store.queuePosition(j));
    }

    private Job job(Context ctx) {
        String id = ctx.pathParam("id");
        return store.byId(id, ApiServer.owner(ctx)).filter(j -> !j.isDeployment())
                .orElseThrow(() -> ApiProblem.notFound("build " + id));
    }

    static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.equals("false")) return false;
        if (v.equals("true") || v.isEmpty()) return true;
        throw ApiProblem.of(400, "Invalid " + name, name + " must be true or false");
    }

    /** The next page as an RFC 8288 link: this request's path and filters, with the next cursor. */
    private static String nextLink(Context ctx, String cursor) {
        StringBuilder query = new StringBuilder();
        ctx.queryParamMap().forEach((name, values) -> {
            if (name.equals("cursor")) return;
            for (String v : values) query.append(enc(name)).append('=').append(enc(v)).append('&');
        });
        query.append("cursor=").append(cursor);
        return "<" + ctx.path() + "?" + query + ">; rel=\"next\"";
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            long seq = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (seq > 0) return seq;
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiProblem.of(400, "Invalid cursor", "cursor must be a next_cursor value from an earlier page");
    }
}
