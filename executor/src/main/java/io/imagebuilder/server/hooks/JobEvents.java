package io.imagebuilder.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.server.db.DeliveryStore;
import io.imagebuilder.server.db.ErrorCode;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns the state changes of jobs into webhook deliveries for their owners' endpoints; the sender posts them. A
 * failure to record one never fails the job: the job's state is what matters, the event is a courtesy.
 */
public final class JobEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSettings settings;
    private final JobStore jobs;
    private final DeliveryStore deliveries;
    private final Runnable wake;

    public JobEvents(WebhookSettings settings, JobStore jobs, DeliveryStore deliveries, Runnable wake) {
        this.settings = settings;
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.wake = wake;
    }

    /**
     * Records the queued event in the transaction that inserts the job, so that it comes before the running event
     * of the worker that takes the job, however soon that is.
     */
    public JobStore.Inserting queued() {
        return (Connection c, JobStore.NewJob j, OffsetDateTime at) -> {
            Optional<Endpoint> endpoint = settings.of(j.owner());
            if (endpoint.isEmpty()) return;
            DeliveryStore.insert(c, delivery(endpoint.get(), j.id(), j.kind(), JobStatus.QUEUED, null, null, at));
        };
    }

    /** Call after a commit that inserted a job: its queued event is due. */
    public void wake() {
        if (!settings.endpoints().isEmpty()) wake.run();
    }

    /** The job as it was right after the change (it may have moved on since). */
    public void changed(Job job) {
        Optional<Endpoint> endpoint = settings.of(job.owner());
        if (endpoint.isEmpty()) return;
        try {
            Map<String, Object> error = job.status().isFinal() ? error(job) : null;
            String phase = job.status() == JobStatus.RUNNING ? job.phase() : null;
            // an undeployment keeps the deploy's times, so its events are timed when they are sent
            boolean undeploy = job.status() == JobStatus.UNDEPLOYING || job.status() == JobStatus.UNDEPLOYED
                    || job.status() == JobStatus.UNDEPLOY_FAILED;
            OffsetDateTime at = undeploy ? JobStore.now()
                    : job.status().isFinal() && job.finishedAt() != null ? job.finishedAt()
                    : job.status() == JobStatus.RUNNING && job.startedAt() != null ? job.startedAt() : JobStore.now();
            deliveries.insert(delivery(endpoint.get(), job.id(), job.kind(), job.status(), phase, error, at));
            wake.run();
        } catch (RuntimeException e) {
            // the database is away; the job's state is recorded, only this notice of it is lost
        }
    }

    /** The change of a job known by its id, read back as it is now. */
    public void changed(String id) {
        if (settings.endpoints().isEmpty()) return;
        try {
            jobs.byId(id).ifPresent(this::changed);
        } catch (RuntimeException e) {
            // as above
        }
    }

    private static DeliveryStore.NewDelivery delivery(Endpoint endpoint, String jobId, String kind, JobStatus status,
                                                      String phase, Map<String, Object> error, OffsetDateTime at) {
        String event = kind + "." + status.text();
        String link = (Job.DEPLOYMENT.equals(kind) ? "/deployments/" : "/builds/") + jobId;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("kind", kind);
        body.put("id", jobId);
        body.put("status", status.text());
        body.put("phase", phase);
        body.put("error", error);
        body.put("time", at.toString());
        body.put("link", link);
        try {
            return new DeliveryStore.NewDelivery(UUID.randomUUID().toString(), jobId, endpoint.owner(), event,
                    endpoint.url().toString(), JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API's error object: a code for programs, a message for people. */
    private static Map<String, Object> error(Job j) {
        if (j.error() == null) return null;
        ErrorCode code = j.errorCode() != null ? j.errorCode() : j.status() == JobStatus.CANCELLED
                ? ErrorCode.CANCELLED : ErrorCode.ofFailure(j.error(), j.isDeployment());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.text());
        m.put("message", j.error());
        return m;
    }
}
