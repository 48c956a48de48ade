package io.imagebuilder.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.jobs.RequestFiles;
import io.imagebuilder.server.jobs.Workers;
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

    private final ServerConfig config;
    private final JobStore store;
    private final SecretBox box;
    private final Workers workers;
    private final BuildsApi builds;
    private final ImageBuilder facade = new ImageBuilder(Path.of(""));

    DeploymentsApi(ServerConfig config, JobStore store, SecretBox box, Workers workers, BuildsApi builds) {
        this.config = config;
        this.store = store;
        this.box = box;
        this.workers = workers;
        this.builds = builds;
    }

    void submit(Context ctx) throws IOException {
        byte[] body = builds.readBody(ctx);
        DeploymentRequest request = DeploymentRequest.parse(body);
        if (!config.allowLocalSources() && !request.localSources().isEmpty()) {
            throw Submission.invalid("The request names local sources.", request.localSources());
        }
        String name = UUID.randomUUID().toString();
        Path dir = config.stateDir().resolve("incoming").resolve(name);
        try {
            Path inputs = RequestFiles.write(dir, request.inputsFile(config.buildHost()));
            facade.validate(request.template(), List.of(inputs));
        } catch (InvalidInputException e) {
            throw Submission.invalid(e, name + "/" + RequestFiles.NAME);
        } finally {
            RequestFiles.delete(dir);
        }
        Job job = store.insert(new JobStore.NewJob(UUID.randomUUID().toString(), ApiServer.owner(ctx), null,
                box.fingerprint(body), false, request.redacted(), box.seal(body), Job.DEPLOYMENT,
                request.blueprint()));
        workers.wake();
        ctx.status(202).header("Location", "/deployments/" + job.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("status", job.status().text());
        m.put("links", links(job));
        ApiServer.json(ctx, m);
    }

    void get(Context ctx) {
        Job j = job(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("blueprint", j.blueprint());
        m.put("status", j.status().text());
        m.put("created_at", j.createdAt() == null ? null : j.createdAt().toString());
        m.put("started_at", j.startedAt() == null ? null : j.startedAt().toString());
        m.put("finished_at", j.finishedAt() == null ? null : j.finishedAt().toString());
        Map<String, Object> result = result(j);
        m.put("deployment_status", result.get("deployment_status"));
        m.put("outputs", result.getOrDefault("outputs", Map.of()));
        m.put("error", JobJson.error(j));
        m.put("links", links(j));
        ApiServer.cacheableJson(ctx, m);
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
