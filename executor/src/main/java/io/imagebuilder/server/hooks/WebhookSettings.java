package io.imagebuilder.server.hooks;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The webhooks of a server: each owner's endpoint, and how deliveries are retried: after a connection error, a
 * timeout, a 429 or a 5xx answer, again after {@code firstRetry}, then twice as long each time, up to
 * {@code maxAttempts} attempts in all. {@code timeout} bounds each attempt.
 */
public record WebhookSettings(Map<String, Endpoint> endpoints, Duration firstRetry, int maxAttempts,
                              Duration timeout) {

    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WebhookSettings {
        endpoints = Map.copyOf(endpoints);
        if (firstRetry == null) firstRetry = DEFAULT_FIRST_RETRY;
        if (maxAttempts < 1) maxAttempts = DEFAULT_MAX_ATTEMPTS;
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
    }

    public WebhookSettings(Map<String, Endpoint> endpoints) {
        this(endpoints, null, 0, null);
    }

    public static WebhookSettings none() {
        return new WebhookSettings(Map.of());
    }

    public Optional<Endpoint> of(String owner) {
        return Optional.ofNullable(endpoints.get(owner));
    }

    public WebhookSettings withRetries(Duration first, int attempts) {
        return new WebhookSettings(endpoints, first, attempts, timeout);
    }

    /** How long to wait before attempt {@code next} (2 or more). */
    public Duration delayBefore(int next) {
        return firstRetry.multipliedBy(1L << Math.min(20, next - 2));
    }
}
