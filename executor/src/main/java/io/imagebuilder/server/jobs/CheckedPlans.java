package io.imagebuilder.server.jobs;

import io.imagebuilder.imagebuild.BuildReport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plans of dry runs this server made while checking their submissions, kept until one of its workers takes
 * the job: a dry run's result is that plan, so the worker records it instead of planning the same request again.
 * A dry run taken by another server sharing the database, or queued before a restart, is planned by its worker as
 * before. At most {@link #MAX} plans are kept, the oldest given up first: those of jobs another server took would
 * otherwise stay for ever, and giving up one whose job is still queued costs only planning it again.
 */
public final class CheckedPlans {

    static final int MAX = 10_000;

    private final Map<String, BuildReport> plans = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BuildReport> eldest) {
            return size() > MAX;
        }
    };

    /** Keeps the plan of dry run {@code id}; call before the job is committed, so that no worker can miss it. */
    public synchronized void keep(String id, BuildReport plan) {
        plans.put(id, plan);
    }

    /** Forgets a plan whose job will not run: it was not queued after all, or was cancelled while queued. */
    public synchronized void drop(String id) {
        plans.remove(id);
    }

    /** The plan kept for dry run {@code id}, once: the worker that takes the job takes it. */
    synchronized Optional<BuildReport> take(String id) {
        return Optional.ofNullable(plans.remove(id));
    }
}
