package io.imagebuilder.server.hooks;

import io.imagebuilder.server.db.Delivery;
import io.imagebuilder.server.db.DeliveryStore;
import io.imagebuilder.server.db.JobStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Posts pending webhook deliveries, oldest first, on a thread of its own so that no build waits for a receiver.
 * Deliveries live in the database: any server on it sends the pending ones, so those left by a server that stopped
 * are sent by the next. Connection errors, timeouts, 429 and 5xx answers are tried again later; other answers
 * end the delivery.
 */
public final class WebhookSender implements AutoCloseable {

    public static final String SIGNATURE = "X-ImageBuilder-Signature-256";
    public static final String TIMESTAMP = "X-ImageBuilder-Timestamp";
    public static final String DELIVERY = "X-ImageBuilder-Delivery";
    public static final String EVENT = "X-ImageBuilder-Event";
    private static final long IDLE_WAIT_MS = 1000;
    private static final int BATCH = 20;
    private static final int MAX_ERROR = 500;

    private final WebhookSettings settings;
    private final DeliveryStore store;
    private final HttpClient http;
    private final Object wakeUp = new Object();
    private final Thread thread;
    private volatile boolean stopping;

    public WebhookSender(WebhookSettings settings, DeliveryStore store) {
        this.settings = settings;
        this.store = store;
        // redirects are not followed: a signed body goes only where its owner said
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.thread = new Thread(this::loop, "webhook-sender");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Tells the sender that a delivery is due. */
    public void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void loop() {
        while (!stopping) {
            List<Delivery> due;
            try {
                due = store.due(BATCH);
            } catch (RuntimeException e) {
                due = List.of(); // the database is away; try again after the idle wait
            }
            for (Delivery d : due) {
                if (stopping) return;
                try {
                    attempt(d);
                } catch (RuntimeException e) {
                    // the database went away mid-attempt; the claim runs out and the delivery is tried again
                }
            }
            if (due.size() == BATCH) continue;
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(IDLE_WAIT_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void attempt(Delivery d) {
        Duration claim = settings.timeout().multipliedBy(2).plusSeconds(30);
        if (!store.claim(d, JobStore.now().plus(claim))) return; // another server took it
        int attempt = d.attempts() + 1;
        Optional<Endpoint> endpoint = settings.of(d.owner());
        if (endpoint.isEmpty()) {
            store.attempted(d.id(), d.attempts(), null, "this server has no webhook for " + d.owner(),
                    Delivery.FAILED, null);
            return;
        }
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "image-builder-webhooks")
                .header(EVENT, d.event())
                .header(DELIVERY, d.id())
                .header(TIMESTAMP, Long.toString(timestamp))
                .header(SIGNATURE, endpoint.get().signer().sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Integer status = null;
        String error;
        boolean again;
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            error = status / 100 == 2 ? null : "the receiver answered " + status;
            again = status == 429 || status / 100 == 5;
        } catch (HttpTimeoutException e) {
            error = "no answer within " + settings.timeout().toSeconds() + " s";
            again = true;
        } catch (IOException e) {
            error = "cannot post: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            again = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // stopping: the claim runs out and the delivery is attempted again
        }
        if (error != null && error.length() > MAX_ERROR) error = error.substring(0, MAX_ERROR);
        if (error == null) {
            store.attempted(d.id(), attempt, status, null, Delivery.DELIVERED, null);
        } else if (again && attempt < settings.maxAttempts()) {
            OffsetDateTime next = JobStore.now().plus(settings.delayBefore(attempt + 1));
            store.attempted(d.id(), attempt, status, error, Delivery.PENDING, next);
        } else {
            store.attempted(d.id(), attempt, status, error, Delivery.FAILED, null);
        }
    }

    /**
     * Waits up to {@code wait} for the deliveries already due (such as the events of builds failed because the
     * server is stopping) to be attempted once.
     */
    public void drain(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (!store.due(1).isEmpty() && System.nanoTime() < deadline) {
                wake();
                Thread.sleep(100);
            }
        } catch (RuntimeException e) {
            // the database is away: nothing can be sent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending; a delivery being attempted is attempted again by the next server on the database. */
    @Override
    public void close() {
        stopping = true;
        wake();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
