package io.imagebuilder.server.db;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a job is. A build ends succeeded, failed or cancelled. A deployment that succeeded can be undeployed: it is
 * undeploying (queued for a worker, then run by it) until it is undeployed, or undeploy_failed (undeploying again
 * on request).
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, UNDEPLOYING, UNDEPLOYED, UNDEPLOY_FAILED;

    /** The states a build can be in; deployments can be in any. */
    public static final Set<JobStatus> OF_BUILDS = EnumSet.of(QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED);

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING && this != UNDEPLOYING;
    }

    public static Optional<JobStatus> parse(String text) {
        for (JobStatus s : values()) {
            if (s.text().equals(text)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
