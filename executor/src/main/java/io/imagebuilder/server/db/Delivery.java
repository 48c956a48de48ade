package io.imagebuilder.server.db;

import java.time.OffsetDateTime;

/**
 * One webhook delivery as stored: the event of a job, the URL it goes to, its exact body, and how its attempts
 * went. {@code status} is pending (to be attempted at {@code nextAttemptAt}), delivered or failed;
 * {@code lastStatus} is the receiver's last HTTP status, {@code lastError} why the last attempt did not succeed.
 */
public record Delivery(long seq, String id, String jobId, String owner, String event, String url, String payload,
                       String status, int attempts, Integer lastStatus, String lastError, OffsetDateTime createdAt,
                       OffsetDateTime lastAttemptAt, OffsetDateTime nextAttemptAt, OffsetDateTime finishedAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
