package io.imagebuilder.server.api;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.imagebuild.BuildReport;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.hooks.JobEvents;
import io.imagebuilder.server.jobs.JobRemoval;
import io.imagebuilder.server.jobs.RequestFiles;
import io.imagebuilder.server.jobs.Workers;
import io.imagebuilder.server.request.ApiProblem;
import io.imagebuilder.server.request.Submission;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** The /builds endpoints. Every one sees only the builds of the caller's API key; others' are "not found". */
final class BuildsApi {

    private static final long CANCEL_WAIT_MS = 20_000;
    private static final int WARM_UP_CHECKS = 1000;
    private static final AtomicBoolean WARMED = new AtomicBoolean();
    /** A request like those clients send, for {@link #warmUp}; checking it fetches nothing. */
    private static final byte[] WARM_UP = """
            {"source": {"dockerfile": {"url": "http://localhost/Dockerfile"}},
             "target": {"images": [{"image": "warm-up", "tag": "1", "platforms": ["linux/amd64"]}],
                        "registry": {"url": "localhost:5000"}}}
            """.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final ServerConfig config;
    private final JobStore store;
    private final SecretBox box;
    private final Workers workers;
    private final JobEvents events;
    private final JobRemoval removal;
    /** The workers' own: checks and dry runs then share its blueprint, read once for the whole server. */
    private final ImageBuilder facade;
    private final JobLogs logs;

    BuildsApi(ServerConfig config, JobStore store, SecretBox box, ImageBuilder facade, Workers workers,
              JobEvents events, JobRemoval removal) {
        this.config = config;
        this.facade = facade;
        this.store = store;
        this.box = box;
        this.workers = workers;
        this.events = events;
        this.removal = removal;
        this.logs = new JobLogs(store);
    }

    void submit(Context ctx) throws IOException {
        String owner = ApiServer.owner(ctx);
        String key = idempotencyKey(ctx);
        boolean dryRun = flag(ctx, "dry_run");
        requireJson(ctx, "build request");
        byte[] body = readBody(ctx);
        Submission submission = Submission.parse(body);
        if (!config.allowLocalSources() && !submission.localSources().isEmpty()) {
            throw Submission.invalid("The request names local sources.", submission.localSources());
        }
        if (!submission.serverEnvironment().isEmpty()) {
            throw Submission.invalid("The request reads the server's environment.", submission.serverEnvironment());
        }
        String digest = box.fingerprint(body);
        if (key != null) {
            var earlier = store.byIdempotencyKey(owner, key);
            if (earlier.isPresent()) {
                replay(ctx, earlier.get(), digest, dryRun, submission);
                return;
            }
        }
        BuildReport plan = check(submission.buildFile());
        String id = UUID.randomUUID().toString();
        if (dryRun) workers.plans().keep(id, plan);
        Job job;
        try {
            job = insert(new JobStore.NewJob(id, owner, key, digest, dryRun, submission.redacted(),
                    box.seal(body), Job.BUILD, null));
        } catch (JobStore.DuplicateKeyException e) {
            workers.plans().drop(id);
            replay(ctx, store.byIdempotencyKey(owner, key).orElseThrow(), digest, dryRun, submission);
            return;
        } catch (RuntimeException e) {
            workers.plans().drop(id);
            throw e;
        }
        workers.wake();
        ctx.status(202).header("Location", "/builds/" + job.id());
        ApiServer.json(ctx, JobJson.accepted(job, submission.warnings()));
    }

    /**
     * Takes a sample request through what {@link #submit} does short of storing it, before the server takes
     * requests: the first submissions would otherwise wait while the blueprint is read and the code runs cold,
     * interpreted and many times slower than compiled. The blueprint is read for each server; the code is compiled
     * once for the whole JVM, so only its first server repeats this {@link #WARM_UP_CHECKS} times (about a second).
     */
    void warmUp() {
        int times = WARMED.compareAndSet(false, true) ? WARM_UP_CHECKS : 1;
        try {
            for (int i = 0; i < times; i++) {
                Submission submission = Submission.parse(WARM_UP);
                submission.localSources();
                submission.serverEnvironment();
                box.fingerprint(WARM_UP);
                check(submission.buildFile());
                submission.redacted();
                box.seal(WARM_UP);
                // a key no client can have sent (they are at most 200 characters): only reads the database
                store.byIdempotencyKey("", "warm-up".repeat(30));
            }
        } catch (RuntimeException e) {
            // refused under this server's settings, or the database is away: the first submission will say why
        }
    }

    /** Queues a job of any kind, with the event that it was queued. */
    Job insert(JobStore.NewJob j) {
        Job job = store.insert(j, events.queued());
        events.wake();
        return job;
    }

    static String idempotencyKey(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isEmpty() || key.length() > 200 || !key.matches("[\\x21-\\x7e]+"))) {
            throw ApiProblem.of(400, "Invalid Idempotency-Key", "Idempotency-Key must be 1 to 200 visible ASCII "
                    + "characters");
        }
        return key;
    }

    /** A body that says it is something else than JSON is answered 415; one without a type is read as JSON. */
    static void requireJson(Context ctx, String what) {
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase().matches("application/([\\w.-]+\\+)?json\\s*(;.*)?")) {
            throw ApiProblem.of(415, "Unsupported Media Type", "send the " + what + " as application/json");
        }
    }

    /** The answer to a repeated request with the same Idempotency-Key: the job it made the first time. */
    private static void replay(Context ctx, Job earlier, String digest, boolean dryRun, Submission submission) {
        if (!earlier.requestDigest().equals(digest) || earlier.dryRun() != dryRun || earlier.isDeployment()) {
            throw ApiProblem.of(422, "Idempotency-Key reused", "this Idempotency-Key was used for a different "
                    + "request (build " + earlier.id() + ")");
        }
        ctx.status(200).header("Location", "/builds/" + earlier.id());
        ApiServer.json(ctx, JobJson.accepted(earlier, submission.warnings()));
    }

    /**
     * Runs the build command's own checks on the document, in memory (it is named as a file in messages); returns
     * the plan they make, which is a dry run's whole result.
     */
    private BuildReport check(byte[] body) {
        String name = UUID.randomUUID().toString();
        Path file = config.stateDir().resolve("incoming").resolve(name).resolve(RequestFiles.NAME);
        try {
            return facade.planBuild(RequestFiles.request(file, body, config.buildHost(), null));
        } catch (InvalidInputException e) {
            throw Submission.invalid(e, name + "/" + RequestFiles.NAME);
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
        JobPages.answer(ctx, store, Job.BUILD, j -> {
            Map<String, Object> m = JobJson.summary(j);
            m.put("requested", JobJson.requested(j));
            m.put("links", JobJson.links(j));
            return m;
        });
    }

    void log(Context ctx) throws Exception {
        streamLog(ctx, job(ctx));
    }

    /** What a build was made from: its lock, once it has succeeded (a dry run builds nothing, so has none). */
    void lock(Context ctx) {
        Job job = job(ctx);
        Map<String, Object> lock = JobJson.lock(job);
        if (lock == null) {
            throw ApiProblem.notFound("the lock of build " + job.id() + " (a build has one once it has succeeded, "
                    + "a dry run never)");
        }
        ApiServer.cacheableJson(ctx, lock);
    }

    /** A job's log: as text, JSON or events, from a line on, followed or not (see {@link JobLogs}). */
    void streamLog(Context ctx, Job job) throws Exception {
        logs.answer(ctx, job);
    }

    /** Ends every followed log before the server stops; waits up to {@code wait} for the streams to end. */
    void stopFollowing(Duration wait) {
        logs.stopFollowing(wait);
    }

    /** Cancels a build that has not ended; removes one that has, with its work directory and host tags. */
    void cancel(Context ctx) throws InterruptedException {
        Job job = job(ctx);
        if (!job.status().isFinal()) {
            cancel(ctx, job, "Build", this::full);
            return;
        }
        if (!removal.remove(job)) throw ApiProblem.notFound("build " + job.id());
        ctx.status(204);
    }

    /**
     * Cancels a queued job at once; asks the server running a running one to stop it, and waits up to 20 s for it
     * to end (200), else answers 202. A job that has ended is a conflict.
     */
    void cancel(Context ctx, Job job, String what, Function<Job, Map<String, Object>> render)
            throws InterruptedException {
        String owner = ApiServer.owner(ctx);
        if (job.status().isFinal()) {
            throw ApiProblem.of(409, what + " already ended", what.toLowerCase(java.util.Locale.ROOT) + " "
                    + job.id() + " already " + job.status().text());
        }
        if (job.status() == JobStatus.QUEUED && store.cancelQueued(job.id(), owner)) {
            workers.plans().drop(job.id());
            Job cancelled = store.byId(job.id()).orElseThrow();
            events.changed(cancelled);
            ApiServer.json(ctx, render.apply(cancelled));
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
        ApiServer.json(ctx, render.apply(now));
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
}
