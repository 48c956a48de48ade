package io.imagebuilder.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.server.db.ErrorCode;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job as the API shows it: its state and times, and once it ended, the images built and pushed. */
final class JobJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobJson() {
    }

    static Map<String, Object> links(Job j) {
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", "/builds/" + j.id());
        links.put("log", "/builds/" + j.id() + "/log");
        return links;
    }

    /** What POST answers: enough to follow the job, and what of the request is not used. */
    static Map<String, Object> accepted(Job j, List<String> warnings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("status", j.status().text());
        m.put("warnings", warnings);
        m.put("links", links(j));
        return m;
    }

    /** @param queuePosition for a queued job, its place in the queue of every owner's jobs (1: next) */
    static Map<String, Object> full(Job j, int queuePosition) {
        Map<String, Object> m = summary(j);
        if (j.status() == JobStatus.QUEUED) m.put("queue_position", queuePosition);
        m.put("requested", requested(j));
        m.put("labels", labels(j));
        Map<String, Object> report = report(j);
        m.put("build_host", hosts(report.get("build_host")));
        m.put("registry", report.get("registry"));
        m.put("images", report.getOrDefault("images", List.of()));
        if (report.get("duration_seconds") != null) m.put("duration_seconds", report.get("duration_seconds"));
        for (String attached : List.of("provenance", "sboms")) {
            if (report.get(attached) != null) m.put(attached, report.get(attached));
        }
        if (j.cancelRequested() && !j.status().isFinal()) m.put("cancel_requested", true);
        m.put("error", error(j));
        m.put("links", links(j));
        return m;
    }

    /** Why the job failed or was cancelled, for programs (code) and people (message); null otherwise. */
    static Map<String, Object> error(Job j) {
        if (j.error() == null) return null;
        ErrorCode code = j.errorCode();
        // jobs that ended before codes were stored
        if (code == null) code = j.status() == JobStatus.CANCELLED ? ErrorCode.CANCELLED
                : ErrorCode.ofFailure(j.error(), j.isDeployment());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.text());
        m.put("message", j.error());
        return m;
    }

    /** The images asked for, from the stored copy of the request (its passwords masked). */
    static List<Map<String, Object>> requested(Job j) {
        JsonNode root;
        try {
            root = JSON.readTree(j.requestRedacted());
        } catch (IOException e) {
            return List.of();
        }
        JsonNode params = root.has("build_params") ? root.path("build_params") : root;
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode image : params.path("target").path("images")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", image.path("image").asText(null));
            m.put("tag", image.path("tag").asText("latest"));
            List<String> platforms = new ArrayList<>();
            image.path("platforms").forEach(p -> platforms.add(p.asText()));
            m.put("platforms", image.has("platforms") ? platforms : null);
            out.add(m);
        }
        return out;
    }

    /** The image labels the request sets (build_params.labels), from the stored copy of the request. */
    static Map<String, String> labels(Job j) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode root = JSON.readTree(j.requestRedacted());
            JsonNode params = root.has("build_params") ? root.path("build_params") : root;
            params.path("labels").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            // an unreadable stored request shows no labels, as it shows no requested images
        }
        return out;
    }

    /** The build hosts used, in order; the report lists them as one text. */
    private static List<String> hosts(Object text) {
        if (!(text instanceof String s) || s.isBlank()) return null;
        return Arrays.stream(s.split(",")).map(String::strip).filter(h -> !h.isEmpty()).toList();
    }

    static Map<String, Object> summary(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("status", j.status().text());
        m.put("phase", j.status() == JobStatus.RUNNING ? j.phase() : null);
        m.put("dry_run", j.dryRun());
        m.put("owner", j.owner());
        m.put("created_at", time(j.createdAt()));
        m.put("started_at", time(j.startedAt()));
        m.put("finished_at", time(j.finishedAt()));
        return m;
    }

    /** The lock a succeeded build recorded, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> lock(Job j) {
        return report(j).get("lock") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static Map<String, Object> report(Job j) {
        if (j.result() == null) return Map.of();
        try {
            return JSON.readValue(j.result(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}
