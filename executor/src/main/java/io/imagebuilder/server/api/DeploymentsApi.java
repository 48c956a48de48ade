package io.imagebuilder.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.hooks.JobEvents;
import io.imagebuilder.server.jobs.RequestFiles;
import io.imagebuilder.server.jobs.Workers;
import io.imagebuilder.server.request.ApiProblem;
import io.imagebuilder.server.request.DeploymentRequest;
import io.imagebuilder.server.request.Submission;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The /deployments endpoints: a bundled blueprint deployed with the given inputs, as a job like a build. */
final class DeploymentsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobEvents events;
    private final ServerConfig config;
    private final JobStore store;
    private final SecretBox box;
    private final Workers workers;
    private final BuildsApi builds;
    private final ImageBuilder facade;

    DeploymentsApi(ServerConfig config, JobStore store, SecretBox box, ImageBuilder facade, Workers workers,
                   BuildsApi builds, JobEvents events) {
        this.facade = facade;
        this.events = events;
        this.config = config;
        this.store = store;
        this.box = box;
        this.workers = workers;
        this.builds = builds;
    }

    void submit(Context ctx) throws IOException {
        String owner = ApiServer.owner(ctx);
        String key = BuildsApi.idempotencyKey(ctx);
        BuildsApi.requireJson(ctx, "deployment request");
        byte[] body = builds.readBody(ctx);
        DeploymentRequest request;
        try {
            request = check(body);
        } catch (ApiProblem e) {
            if (e.status() != 400) throw e;
            throw new ApiProblem(400, "Invalid deployment request", e.getMessage().replace("build request",
                    "deployment request"), e.errors());
        }
        String digest = box.fingerprint(body);
        if (key != null) {
            var earlier = store.byIdempotencyKey(owner, key);
            if (earlier.isPresent()) {
                replay(ctx, earlier.get(), digest);
                return;
            }
        }
        Job job;
        try {
            job = builds.insert(new JobStore.NewJob(UUID.randomUUID().toString(), owner, key, digest, false,
                    request.redacted(), box.seal(body), Job.DEPLOYMENT, request.blueprint()));
        } catch (JobStore.DuplicateKeyException e) {
            replay(ctx, store.byIdempotencyKey(owner, key).orElseThrow(), digest);
            return;
        }
        workers.wake();
        ctx.status(202).header("Location", "/deployments/" + job.id());
        ApiServer.json(ctx, accepted(job));
    }

    /** Checks the request as the deploy command would, with the server's build host inputs. */
    private DeploymentRequest check(byte[] body) {
        DeploymentRequest request = DeploymentRequest.parse(body);
        if (!config.allowLocalSources() && !request.localSources().isEmpty()) {
            throw Submission.invalid("The request names local sources.", request.localSources());
        }
        if (!request.serverEnvironment().isEmpty()) {
            throw Submission.invalid("The request reads the server's environment.", request.serverEnvironment());
        }
        String name = UUID.randomUUID().toString();
        Path dir = config.stateDir().resolve("incoming").resolve(name);
        try {
            Path inputs = RequestFiles.write(dir, request.inputsFile(config.buildHost()));
            facade.validate(request.template(), List.of(inputs));
        } catch (InvalidInputException e) {
            throw Submission.invalid(e, name + "/" + RequestFiles.NAME);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request for checking: " + e.getMessage(), e);
        } finally {
            RequestFiles.delete(dir);
        }
        return request;
    }

    /** The answer to a repeated request with the same Idempotency-Key: the deployment it made the first time. */
    private static void replay(Context ctx, Job earlier, String digest) {
        if (!earlier.requestDigest().equals(digest) || !earlier.isDeployment()) {
            throw ApiProblem.of(422, "Idempotency-Key reused", "this Idempotency-Key was used for a different "
                    + "request (" + (earlier.isDeployment() ? "deployment " : "build ") + earlier.id() + ")");
        }
        ctx.status(200).header("Location", "/deployments/" + earlier.id());
        ApiServer.json(ctx, accepted(earlier));
    }

    private static Map<String, Object> accepted(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("status", job.status().text());
        m.put("links", links(job));
        return m;
    }

    void get(Context ctx) {
        ApiServer.cacheableJson(ctx, full(job(ctx)));
    }

    void list(Context ctx) {
        JobPages.answer(ctx, store, Job.DEPLOYMENT, j -> {
            Map<String, Object> m = summary(j);
            m.put("links", links(j));
            return m;
        });
    }

    /**
     * Cancels a queued or running deployment; undeploys one that succeeded (or whose undeployment failed) as queued
     * work, answering 202 with its new state.
     */
    void delete(Context ctx) throws InterruptedException {
        Job job = job(ctx);
        switch (job.status()) {
            case SUCCEEDED, UNDEPLOY_FAILED -> undeploy(ctx, job);
            case UNDEPLOYING -> throw undeployConflict(job);
            case UNDEPLOYED -> throw ApiProblem.of(409, "Deployment already undeployed", "deployment " + job.id()
                    + " is already undeployed");
            default -> builds.cancel(ctx, job, "Deployment", DeploymentsApi::full);
        }
    }

    private void undeploy(Context ctx, Job job) {
        if (store.deploymentState(job.id()).isEmpty()) {
            throw ApiProblem.of(409, "Deployment state not kept", "deployment " + job.id() + " was deployed by an "
                    + "earlier version of the server, which did not keep its state; it cannot be undeployed through "
                    + "the API");
        }
        if (!store.requestUndeploy(job.id(), ApiServer.owner(ctx))) {
            // another request changed it meanwhile
            Job now = store.byId(job.id()).orElseThrow();
            throw now.status() == JobStatus.UNDEPLOYED ? ApiProblem.of(409, "Deployment already undeployed",
                    "deployment " + job.id() + " is already undeployed") : undeployConflict(now);
        }
        events.changed(job.id());
        workers.wake();
        ctx.status(202);
        ApiServer.json(ctx, full(store.byId(job.id()).orElseThrow()));
    }

    private static ApiProblem undeployConflict(Job job) {
        return ApiProblem.of(409, "Deployment being undeployed", "deployment " + job.id() + " is "
                + job.status().text() + "; wait until it is undeployed or undeploy_failed");
    }

    private static Map<String, Object> summary(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("blueprint", j.blueprint());
        m.put("status", j.status().text());
        m.put("created_at", j.createdAt() == null ? null : j.createdAt().toString());
        m.put("started_at", j.startedAt() == null ? null : j.startedAt().toString());
        m.put("finished_at", j.finishedAt() == null ? null : j.finishedAt().toString());
        return m;
    }

    private static Map<String, Object> full(Job j) {
        Map<String, Object> m = summary(j);
        Map<String, Object> result = result(j);
        m.put("deployment_status", result.get("deployment_status"));
        m.put("outputs", result.getOrDefault("outputs", Map.of()));
        if (j.cancelRequested() && !j.status().isFinal()) m.put("cancel_requested", true);
        m.put("error", JobJson.error(j));
        m.put("links", links(j));
        return m;
    }

    void log(Context ctx) throws Exception {
        builds.streamLog(ctx, job(ctx));
    }

    private Job job(Context ctx) {
        String id = ctx.pathParam("id");
        return store.byId(id, ApiServer.owner(ctx)).filter(Job::isDeployment)
                .orElseThrow(() -> ApiProblem.notFound("deployment " + id));
    }

    private static Map<String, Object> links(Job j) {
        return Map.of("self", "/deployments/" + j.id(), "log", "/deployments/" + j.id() + "/log");
    }

    private static Map<String, Object> result(Job j) {
        if (j.result() == null) return Map.of();
        try {
            return JSON.readValue(j.result(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }
}
