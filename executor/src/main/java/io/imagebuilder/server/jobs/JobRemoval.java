package io.imagebuilder.server.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.BuildPipeline;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.imagenode.BuildHostInputs;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.util.Trees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes an ended job and what it left behind: the image tags on its build hosts (over SSH, as the build reached
 * them), its work directory, then its record, log lines and webhook deliveries. A host that cannot be reached is
 * logged and does not keep the record.
 */
public final class JobRemoval {

    private static final Logger LOG = LoggerFactory.getLogger(JobRemoval.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final JobStore store;
    private final SharedHosts shared;

    public JobRemoval(ServerConfig config, JobStore store, SharedHosts shared) {
        this.config = config;
        this.store = store;
        this.shared = shared;
    }

    /** False when the job is not there or has not ended. */
    public boolean remove(Job job) {
        if (!job.status().isFinal()) return false;
        removeTags(job);
        Trees.delete(config.stateDir().resolve("jobs").resolve(job.id()));
        return store.remove(job.id());
    }

    private void removeTags(Job job) {
        Map<String, List<String>> left = tags(store.hostTags(job.id()));
        if (left.isEmpty()) return;
        Set<String> kept = inUse(job.id());
        left.forEach((dockerHost, tags) -> {
            List<String> unused = tags.stream().filter(t -> !kept.contains(dockerHost + " " + t)
                    && !requestedByUnfinished(t)).toList();
            if (unused.isEmpty()) return;
            try {
                new BuildPipeline(line -> { }, new Cancellation(), shared).clean(host(dockerHost), unused);
            } catch (BuildException | RuntimeException e) {
                LOG.warn("job {}: cannot remove its image tags from {}: {}", job.id(), dockerHost,
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
    }

    /**
     * Tags another job recorded on the same host: a later build of the same image and tag owns it now, and
     * removing it would take its tag away.
     */
    private Set<String> inUse(String id) {
        Set<String> out = new HashSet<>();
        for (String json : store.otherHostTags(id)) {
            tags(json).forEach((host, tags) -> tags.forEach(t -> out.add(host + " " + t)));
        }
        return out;
    }

    /** Whether a queued or running job asks for the image the tag is of: it may be building or pushing it now. */
    private boolean requestedByUnfinished(String tag) {
        for (Job j : store.unfinished()) {
            for (String wanted : requested(j)) {
                if (tag.equals(wanted) || tag.endsWith("/" + wanted) || tag.startsWith(wanted + "-")
                        || tag.contains("/" + wanted + "-")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** IMAGE:TAG of each image of a build's or deployment's stored request (its passwords masked). */
    private static List<String> requested(Job j) {
        List<String> out = new java.util.ArrayList<>();
        try {
            JsonNode root = JSON.readTree(j.requestRedacted());
            JsonNode params = root.has("inputs") ? root.path("inputs") : root;
            if (params.has("build_params")) params = params.path("build_params");
            for (JsonNode image : params.path("target").path("images")) {
                out.add(image.path("image").asText("") + ":" + image.path("tag").asText("latest"));
            }
        } catch (IOException e) {
            // an unreadable request asks for nothing
        }
        return out;
    }

    /** The build host as the server's builds reach it: the same key, known_hosts and docker client. */
    private BuildHost host(String dockerHost) {
        return BuildHostInputs.host(config.buildHost(), dockerHost);
    }

    static Map<String, List<String>> tags(String json) {
        if (json == null) return Map.of();
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, List<String>>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }
}
