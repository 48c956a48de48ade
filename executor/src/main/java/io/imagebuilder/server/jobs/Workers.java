package io.imagebuilder.server.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.DeployOptions;
import io.imagebuilder.deploy.DeploymentResult;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.BuildReport;
import io.imagebuilder.imagebuild.pool.RunningUnits;
import io.imagebuilder.imagebuild.pool.SlotWaits;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.ErrorCode;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.hooks.JobEvents;
import io.imagebuilder.server.request.DeploymentRequest;
import io.imagebuilder.server.request.Submission;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    public static final String UNDEPLOY_INTERRUPTED = "interrupted: the server undeploying this deployment stopped "
            + "before it finished; DELETE it again to go on";
    private static final long IDLE_WAIT_MS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final JobStore store;
    private final SecretBox box;
    private final ImageBuilder facade;
    private final JobEvents events;
    private final CheckedPlans plans = new CheckedPlans();
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

    public Workers(ServerConfig config, JobStore store, SecretBox box, ImageBuilder facade, JobEvents events) {
        this.config = config;
        this.store = store;
        this.box = box;
        this.facade = facade;
        this.events = events;
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

    /** Where the API leaves the plans of the dry runs it checked, for the worker that takes each. */
    public CheckedPlans plans() {
        return plans;
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
                job = store.claim(worker, claimed -> startLine(claimed, worker));
            } catch (RuntimeException e) {
                job = Optional.empty(); // the database is away; try again after the idle wait
            }
            if (job.isPresent()) {
                events.changed(job.get());
                try {
                    run(job.get(), worker);
                } catch (RuntimeException e) {
                    // the database went away while the job ended; its lease runs out and it is failed as
                    // interrupted, while this worker goes on with the next job
                }
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
        Outcome outcome;
        boolean undeploying = job.status() == JobStatus.UNDEPLOYING;
        try {
            byte[] body = box.open(job.requestSealed());
            log = JobLog.continuing(store, job.id(), Submission.secretsOf(body));
            if (undeploying) {
                outcome = undeploy(job, body, dir, log, cancellation);
            } else {
                RunningUnits.tag(job.id());
                SlotWaits.listen(waiting -> quietly(() -> store.phase(job.id(), worker, waiting
                        ? Job.WAITING_FOR_SLOT : Job.BUILDING)));
                outcome = job.isDeployment() ? deploy(job, body, dir, log, cancellation) : build(job, body, dir, log,
                        cancellation);
            }
            if (cancellation.isCancelled()) outcome = cancelled(outcome.result());
        } catch (InterruptedException e) {
            outcome = cancelled(null);
        } catch (InvalidInputException e) {
            outcome = new Outcome(JobStatus.FAILED, null, e.getMessage().replace(dir.resolve(RequestFiles.NAME)
                    .toString(), "request body"), ErrorCode.INVALID_REQUEST);
        } catch (Exception e) {
            outcome = new Outcome(JobStatus.FAILED, null, e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage(), ErrorCode.SERVER_ERROR);
        } finally {
            SlotWaits.listen(null);
            RunningUnits.tag(null);
            RequestFiles.delete(dir.resolve(RequestFiles.NAME));
            running.remove(job.id());
        }
        if (undeploying) {
            endUndeploy(job, worker, dir, log, outcome);
        } else {
            end(job, worker, dir, log, outcome);
        }
    }

    /**
     * The line a job's log starts with, written as the worker takes it. It is made of the server's own names alone
     * (the job's id and the worker's), so it holds nothing of the request to mask.
     */
    private static String startLine(Job job, String worker) {
        String what = job.status() == JobStatus.UNDEPLOYING ? "undeployment of deployment "
                : job.isDeployment() ? "deployment " : job.dryRun() ? "dry run " : "build ";
        return what + job.id() + " started by " + worker;
    }

    /** A stopped job: cancelled on request, or interrupted when this server is stopping. */
    private Outcome cancelled(String result) {
        return stopping ? new Outcome(JobStatus.FAILED, result, INTERRUPTED, ErrorCode.INTERRUPTED)
                : new Outcome(JobStatus.CANCELLED, result, "cancelled while running", ErrorCode.CANCELLED);
    }

    private Outcome build(Job job, byte[] body, Path dir, JobLog log, Cancellation cancellation) throws Exception {
        Submission submission = Submission.parse(body);
        submission.warnings().forEach(log::line);
        var request = RequestFiles.request(dir.resolve(RequestFiles.NAME), submission.buildFile(), config.buildHost(),
                job.dryRun() ? null : dir.resolve("state"));
        BuildReport report = job.dryRun() ? plans.take(job.id()).orElseGet(() -> facade.planBuild(request))
                : facade.build(request, log.console(), cancellation);
        if (!report.hostTags().isEmpty()) store.hostTags(job.id(), JSON.writeValueAsString(report.hostTags()));
        String result = JSON.writeValueAsString(report.toJson());
        if (report.succeeded()) return new Outcome(JobStatus.SUCCEEDED, result, null, null);
        String error = report.error() == null ? "the build failed" : report.error();
        return new Outcome(JobStatus.FAILED, result, error, ErrorCode.ofFailure(error, false));
    }

    private void end(Job job, String worker, Path dir, JobLog log, Outcome outcome) {
        JobStatus status = outcome.status();
        String error = outcome.error();
        ErrorCode code = outcome.code();
        if (status == JobStatus.FAILED && stopping) {
            error = INTERRUPTED;
            code = ErrorCode.INTERRUPTED;
        }
        JobStore.NewLine last = log == null ? null : log.last((job.isDeployment() ? "deployment " : "build ")
                + status.text() + (error == null ? "" : ": " + error));
        try {
            if (store.finish(job.id(), worker, status, outcome.result(), error, code, last)) events.changed(job.id());
        } catch (RuntimeException e) {
            // the lease runs out and another server's housekeeping fails the job as interrupted
        }
        if (status == JobStatus.SUCCEEDED || status == JobStatus.CANCELLED || job.dryRun()) RequestFiles.delete(dir);
    }

    /**
     * Records the end of an undeployment: undeployed, or undeploy_failed (however it failed: its state is kept, and
     * another DELETE goes on from where it stopped).
     */
    private void endUndeploy(Job job, String worker, Path dir, JobLog log, Outcome outcome) {
        boolean done = outcome.status() == JobStatus.UNDEPLOYED;
        String error = done ? null : stopping ? UNDEPLOY_INTERRUPTED : outcome.error();
        ErrorCode code = done ? null : stopping ? ErrorCode.INTERRUPTED : outcome.code();
        JobStatus status = done ? JobStatus.UNDEPLOYED : JobStatus.UNDEPLOY_FAILED;
        JobStore.NewLine last = log == null ? null : log.last("deployment " + status.text()
                + (error == null ? "" : ": " + error));
        try {
            if (store.finishUndeploy(job.id(), worker, status,
                    outcome.result() == null ? job.result() : outcome.result(), error, code, last)) {
                events.changed(job.id());
            }
        } catch (RuntimeException e) {
            // the lease runs out and another server's housekeeping fails the undeployment as interrupted
        }
        RequestFiles.delete(dir); // the state is kept in the database
    }

    private record Outcome(JobStatus status, String result, String error, ErrorCode code) {
    }

    /**
     * Deploys the job's blueprint with its inputs and the server's build host settings; the state of a deployment
     * that succeeded is kept in the database, for its undeployment.
     */
    private Outcome deploy(Job job, byte[] body, Path dir, JobLog log, Cancellation cancellation) throws Exception {
        DeploymentRequest request = DeploymentRequest.parse(body);
        Path inputs = RequestFiles.write(dir, request.inputsFile(config.buildHost()));
        Path state = dir.resolve("state");
        DeploymentResult r = facade.deploy(request.template(), List.of(inputs), new DeployOptions(1, false, true,
                state, config.buildHost().timeout()), log.console(), cancellation);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deployment_status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        out.put("outputs", r.succeeded() ? facade.outputs(state) : Map.of());
        if (r.succeeded()) store.saveDeploymentState(job.id(), KeptState.read(state));
        String error = r.succeeded() ? null : firstError(r, "the deployment did not finish");
        return new Outcome(r.succeeded() ? JobStatus.SUCCEEDED : JobStatus.FAILED, JSON.writeValueAsString(out), error,
                r.succeeded() ? null : ErrorCode.ofFailure(error, true));
    }

    /**
     * Undeploys the job's deployment as the undeploy command does: from its kept state, with its inputs and the
     * server's build host settings. The state is kept again whatever the outcome, so a retry resumes it.
     */
    private Outcome undeploy(Job job, byte[] body, Path dir, JobLog log, Cancellation cancellation) throws Exception {
        String kept = store.deploymentState(job.id()).orElseThrow(() -> new IllegalStateException("the state of "
                + "deployment " + job.id() + " was not kept"));
        DeploymentRequest request = DeploymentRequest.parse(body);
        Path inputs = RequestFiles.write(dir, request.inputsFile(config.buildHost()));
        Path state = dir.resolve("state");
        KeptState.restore(kept, state, request.template(), inputs);
        DeploymentResult r;
        try {
            r = facade.undeploy(state, 1, log.console(), cancellation);
        } finally {
            store.saveDeploymentState(job.id(), KeptState.read(state));
        }
        Map<String, Object> out = new LinkedHashMap<>(result(job));
        out.put("deployment_status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        String error = r.succeeded() ? null : firstError(r, "the undeployment did not finish");
        return new Outcome(r.succeeded() ? JobStatus.UNDEPLOYED : JobStatus.UNDEPLOY_FAILED,
                JSON.writeValueAsString(out), error, r.succeeded() ? null : ErrorCode.ofFailure(error, true));
    }

    /** What the job recorded when it ended last (a deployment's outputs), or nothing. */
    private static Map<String, Object> result(Job job) {
        if (job.result() == null) return Map.of();
        try {
            return JSON.readValue(job.result(), new com.fasterxml.jackson.core.type.TypeReference<
                    LinkedHashMap<String, Object>>() { });
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    private static String firstError(DeploymentResult r, String otherwise) {
        return r.state().nodes.values().stream().filter(n -> n.error != null).map(n -> n.error).findFirst()
                .orElse(otherwise);
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
        quietly(() -> store.reapStale(JobStore.now().minus(config.lease()), INTERRUPTED, UNDEPLOY_INTERRUPTED)
                .forEach(events::changed));
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
        quietly(() -> store.failRunning(instance, INTERRUPTED, UNDEPLOY_INTERRUPTED).forEach(events::changed));
    }

}
