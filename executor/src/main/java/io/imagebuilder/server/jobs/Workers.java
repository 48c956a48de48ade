package io.imagebuilder.server.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.build.BuildReport;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.api.Submission;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's build workers: each claims the oldest queued job from the database and runs it. A housekeeping
 * thread keeps the leases of running jobs fresh, stops the ones whose cancellation was asked for (from any server),
 * and fails running jobs whose server stopped renewing them.
 */
public final class Workers implements AutoCloseable {

    public static final String INTERRUPTED = "interrupted: the server running this build stopped before it finished;"
            + " submit it again";
    private static final long IDLE_WAIT_MS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final JobStore store;
    private final SecretBox box;
    private final ImageBuilder facade;
    private final String instance = "server-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeUp = new Object();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "build-housekeeping");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    public Workers(ServerConfig config, JobStore store, SecretBox box, ImageBuilder facade) {
        this.config = config;
        this.store = store;
        this.box = box;
        this.facade = facade;
    }

    public void start() {
        long leaseMs = config.lease().toMillis();
        housekeeping.scheduleWithFixedDelay(this::reap, 0, Math.max(200, leaseMs / 2), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(() -> store.heartbeat(instance)), 0,
                Math.max(100, leaseMs / 4), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::stopCancelled, 250, 250, TimeUnit.MILLISECONDS);
        for (int i = 0; i < config.workers(); i++) {
            String name = instance + i;
            // builds recurse deeply through the blueprint; the command line gives them the same large stack
            Thread t = new Thread(null, () -> loop(name), "build-worker-" + i, 512L * 1024 * 1024);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Tells idle workers that a job was queued, so they need not wait for their next poll. */
    public void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void loop(String worker) {
        while (!stopping) {
            Optional<Job> job;
            try {
                job = store.claim(worker);
            } catch (RuntimeException e) {
                job = Optional.empty(); // the database is away; try again after the idle wait
            }
            if (job.isPresent()) {
                run(job.get(), worker);
                continue;
            }
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(IDLE_WAIT_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    void run(Job job, String worker) {
        Cancellation cancellation = new Cancellation();
        running.put(job.id(), cancellation);
        Path dir = config.stateDir().resolve("jobs").resolve(job.id());
        JobLog log = null;
        JobStatus status = JobStatus.FAILED;
        String result = null;
        String error = null;
        try {
            byte[] body = box.open(job.requestSealed());
            log = JobLog.of(store, job.id(), Submission.secretsOf(body));
            log.line((job.dryRun() ? "dry run " : "build ") + job.id() + " started by " + worker);
            Path file = RequestFiles.write(dir, body);
            var request = RequestFiles.request(file, config.buildHost(), job.dryRun() ? null : dir.resolve("state"));
            BuildReport report = job.dryRun() ? facade.planBuild(request)
                    : facade.build(request, log.console(), cancellation);
            result = JSON.writeValueAsString(report.toJson());
            if (cancellation.isCancelled() && stopping) {
                error = INTERRUPTED;
            } else if (cancellation.isCancelled()) {
                status = JobStatus.CANCELLED;
                error = "cancelled while running";
            } else if (report.succeeded()) {
                status = JobStatus.SUCCEEDED;
            } else {
                error = report.error() == null ? "the build failed" : report.error();
            }
        } catch (InterruptedException e) {
            status = cancellation.isCancelled() && !stopping ? JobStatus.CANCELLED : JobStatus.FAILED;
            error = status == JobStatus.CANCELLED ? "cancelled while running" : INTERRUPTED;
        } catch (InvalidInputException e) {
            error = e.getMessage().replace(dir.resolve(RequestFiles.NAME).toString(), "request body");
        } catch (Exception e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            RequestFiles.delete(dir.resolve(RequestFiles.NAME));
            running.remove(job.id());
        }
        if (status == JobStatus.FAILED && stopping) error = INTERRUPTED;
        if (log != null) {
            log.line("build " + status.text() + (error == null ? "" : ": " + error));
            log.close();
        }
        try {
            store.finish(job.id(), worker, status, result, error);
        } catch (RuntimeException e) {
            // the lease runs out and another server's housekeeping fails the job as interrupted
        }
        if (status == JobStatus.SUCCEEDED || status == JobStatus.CANCELLED || job.dryRun()) RequestFiles.delete(dir);
    }

    private void stopCancelled() {
        quietly(() -> {
            for (String id : store.cancelRequested(instance)) {
                Cancellation c = running.get(id);
                if (c != null) c.cancel();
            }
        });
    }

    private void reap() {
        quietly(() -> store.reapStale(JobStore.now().minus(config.lease()), INTERRUPTED));
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // housekeeping tries again at its next turn
        }
    }

    /** Stops taking jobs; running builds are stopped and failed as interrupted. */
    @Override
    public void close() {
        stopping = true;
        wake();
        running.values().forEach(Cancellation::cancel);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        housekeeping.shutdownNow();
        quietly(() -> store.failRunning(instance, INTERRUPTED));
    }

}
