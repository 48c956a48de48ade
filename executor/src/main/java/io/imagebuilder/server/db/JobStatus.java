package io.imagebuilder.server.db;

import java.util.Locale;
import java.util.Optional;

/** Where a build job is; the last three are final. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static Optional<JobStatus> parse(String text) {
        for (JobStatus s : values()) {
            if (s.text().equals(text)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
