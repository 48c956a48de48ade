package io.imagebuilder.server.db;

import java.time.OffsetDateTime;

/**
 * One build job as stored. {@code requestSealed} is the encrypted request (with its secrets); {@code result} the
 * build report as JSON once the job ended; {@code phase} what a running job is doing; {@code errorCode} why it
 * failed (null for jobs that ended before codes were stored).
 */
public record Job(long seq, String id, String owner, String idempotencyKey, String requestDigest, JobStatus status,
                  boolean dryRun, String requestRedacted, String requestSealed, boolean cancelRequested,
                  String worker, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                  String result, String error, String kind, String blueprint, String phase, ErrorCode errorCode) {

    public static final String BUILD = "build";
    public static final String DEPLOYMENT = "deployment";
    /** Phases of a running job: it builds (or fetches, or pushes), or it waits for a build slot. */
    public static final String BUILDING = "building";
    public static final String WAITING_FOR_SLOT = "waiting-for-slot";

    public boolean isDeployment() {
        return DEPLOYMENT.equals(kind);
    }

    @Override
    public String toString() {
        return "Job[" + id + " " + status.text() + "]";
    }
}
