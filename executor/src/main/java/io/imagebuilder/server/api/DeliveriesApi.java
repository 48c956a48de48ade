package io.imagebuilder.server.api;

import io.imagebuilder.server.db.Delivery;
import io.imagebuilder.server.db.DeliveryStore;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.request.ApiProblem;
import io.javalin.http.Context;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The webhook deliveries of a build or deployment, for its owner only, oldest first. */
final class DeliveriesApi {

    private final JobStore jobs;
    private final DeliveryStore deliveries;

    DeliveriesApi(JobStore jobs, DeliveryStore deliveries) {
        this.jobs = jobs;
        this.deliveries = deliveries;
    }

    void ofBuild(Context ctx) {
        answer(ctx, Job.BUILD);
    }

    void ofDeployment(Context ctx) {
        answer(ctx, Job.DEPLOYMENT);
    }

    private void answer(Context ctx, String kind) {
        String id = ctx.pathParam("id");
        Job job = jobs.byId(id, ApiServer.owner(ctx)).filter(j -> j.kind().equals(kind))
                .orElseThrow(() -> ApiProblem.notFound(kind + " " + id));
        List<Map<String, Object>> out = deliveries.forJob(job.id()).stream().map(DeliveriesApi::json).toList();
        ApiServer.json(ctx, Map.of("deliveries", out));
    }

    private static Map<String, Object> json(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("event", d.event());
        m.put("url", d.url());
        m.put("status", d.status());
        m.put("attempts", d.attempts());
        m.put("last_status", d.lastStatus());
        m.put("last_error", d.lastError());
        m.put("created_at", time(d.createdAt()));
        m.put("last_attempt_at", time(d.lastAttemptAt()));
        m.put("next_attempt_at", Delivery.PENDING.equals(d.status()) ? time(d.nextAttemptAt()) : null);
        m.put("finished_at", time(d.finishedAt()));
        return m;
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}
