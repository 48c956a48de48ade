package io.imagebuilder.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;

import java.io.IOException;
import java.time.OffsetDateTime;
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

    static Map<String, Object> full(Job j) {
        Map<String, Object> m = summary(j);
        Map<String, Object> report = report(j);
        m.put("build_host", report.get("build_host"));
        m.put("registry", report.get("registry"));
        m.put("images", report.getOrDefault("images", List.of()));
        if (report.get("duration_seconds") != null) m.put("duration_seconds", report.get("duration_seconds"));
        if (j.cancelRequested() && !j.status().isFinal()) m.put("cancel_requested", true);
        m.put("error", j.error());
        m.put("links", links(j));
        return m;
    }

    static Map<String, Object> summary(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("status", j.status().text());
        m.put("phase", j.status() == JobStatus.RUNNING ? j.phase() : null);
        m.put("dry_run", j.dryRun());
        m.put("created_at", time(j.createdAt()));
        m.put("started_at", time(j.startedAt()));
        m.put("finished_at", time(j.finishedAt()));
        return m;
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
