package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.params.Credentials;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads one file over HTTP(S), with optional basic auth, into a new file. Redirects are followed only to the
 * same scheme, host and port, so the credentials never travel to another server and HTTPS is never downgraded.
 * The body is limited in size and the whole download in time; a cancellation aborts it.
 */
final class DownloadFileStep {

    static final long DEFAULT_LIMIT = 1L << 30;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int MAX_REDIRECTS = 5;
    /** Shared: a client owns a selector thread, which a client per download would leave behind. */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    private final LineSink log;
    private final Cancellation cancellation;
    private final long limit;
    private final Duration timeout;

    DownloadFileStep(LineSink log, Cancellation cancellation) {
        this(log, cancellation, DEFAULT_LIMIT, DEFAULT_TIMEOUT);
    }

    DownloadFileStep(LineSink log, Cancellation cancellation, long limit, Duration timeout) {
        this.log = log;
        this.cancellation = cancellation;
        this.limit = limit;
        this.timeout = timeout;
    }

    /**
     * Downloads {@code url} into {@code target}, which must not exist yet.
     *
     * @param field where the URL came from, for messages ({@code dockerfile.url})
     * @return the number of bytes written
     */
    long run(String url, Credentials credentials, String field, Path target)
            throws SourceException, InterruptedException {
        RemoteUrl remote = RemoteUrl.parse(url, field).requireScheme(RemoteUrl.HTTP_SCHEMES, false, field, "http, https");
        Credentials creds = remote.credentials(credentials);
        Redaction redaction = Redaction.of(remote, creds);
        URI uri = toUri(remote, field);
        log.line("downloading " + remote.display());
        if (cancellation.isCancelled()) throw SourceException.cancelledRun();

        long deadline = System.nanoTime() + timeout.toNanos();
        String display = remote.display();
        try {
            for (int redirects = 0; ; redirects++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                        .header("User-Agent", "image-builder");
                if (creds.present()) request.header("Authorization", basic(creds));
                HttpResponse<Long> response = await(CLIENT.sendAsync(request.build(), info -> body(info, target)),
                        deadline, display, redaction);
                int status = response.statusCode();
                if (status / 100 == 2) {
                    log.line("downloaded " + ByteSizes.human(response.body()) + " from " + display);
                    return response.body();
                }
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    URI next = redirectTarget(uri, response, display, field);
                    if (redirects >= MAX_REDIRECTS) {
                        throw new SourceException(display + " redirects more than " + MAX_REDIRECTS + " times");
                    }
                    uri = next;
                    display = RemoteUrl.parse(next.toString(), field).display();
                    continue;
                }
                throw statusFailure(status, display, creds);
            }
        } catch (SourceException | InterruptedException | RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
    }

    private HttpResponse.BodySubscriber<Long> body(HttpResponse.ResponseInfo info, Path target) {
        if (info.statusCode() / 100 != 2) return HttpResponse.BodySubscribers.replacing(0L);
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1L);
        return new LimitedFileBody(target, limit, declared);
    }

    private static URI toUri(RemoteUrl remote, String field) throws SourceException {
        try {
            URI uri = new URI(remote.address());
            if (uri.getHost() == null) throw new URISyntaxException(remote.address(), "no host");
            return uri;
        } catch (URISyntaxException e) {
            throw new SourceException(field + " '" + remote.display() + "' is not a valid URL");
        }
    }

    private static URI redirectTarget(URI from, HttpResponse<?> response, String display, String field)
            throws SourceException {
        Optional<String> location = response.headers().firstValue("location");
        if (location.isEmpty()) {
            throw new SourceException(display + " answered HTTP " + response.statusCode() + " without a Location");
        }
        URI next;
        try {
            next = from.resolve(new URI(location.get()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new SourceException(display + " redirects to an invalid URL");
        }
        if (!sameOrigin(from, next)) {
            String to = next.getScheme() == null || next.getHost() == null ? "another server"
                    : next.getScheme() + "://" + next.getHost() + (next.getPort() < 0 ? "" : ":" + next.getPort());
            throw new SourceException(display + " redirects to " + to + "; redirects are followed only to the same"
                    + " scheme, host and port, so that credentials are never sent elsewhere");
        }
        return next;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String basic(Credentials credentials) {
        String user = credentials.username() == null ? "" : credentials.username();
        String password = credentials.password() == null ? "" : credentials.password().value();
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "Basic " + token;
    }

    private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> future, long deadline, String display,
                                      Redaction redaction) throws SourceException, InterruptedException {
        try {
            while (true) {
                if (cancellation.isCancelled()) {
                    future.cancel(true);
                    throw SourceException.cancelledRun();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    future.cancel(true);
                    throw new SourceException("downloading " + display + " timed out after "
                            + timeout.toSeconds() + " s");
                }
                try {
                    return future.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // not done yet: check the cancellation and the deadline again
                }
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw transferFailure(e.getCause(), display, redaction);
        }
    }

    private SourceException transferFailure(Throwable cause, String display, Redaction redaction) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LimitedFileBody.TooLargeException) {
                return new SourceException(display + " is larger than the limit of " + ByteSizes.human(limit));
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new SourceException("cannot connect to " + display + ": timed out");
            }
            if (t instanceof HttpTimeoutException) {
                return new SourceException("downloading " + display + " timed out");
            }
            if (t instanceof ConnectException) {
                return new SourceException("cannot connect to " + display + ": connection refused");
            }
        }
        String message = cause == null ? null : cause.getMessage();
        String detail = message == null || message.isBlank() ? (cause == null ? "unknown error"
                : cause.getClass().getSimpleName()) : redaction.apply(message);
        return new SourceException("cannot download " + display + ": " + detail);
    }

    private static SourceException statusFailure(int status, String display, Credentials creds) {
        if (status == 401 || (status == 403 && creds.present())) {
            return new SourceException("authentication failed for " + display + (creds.present()
                    ? ": the server refused the given credentials" : ": the server requires credentials, and none"
                    + " were given") + " (HTTP " + status + ")");
        }
        if (status == 403) return new SourceException("access to " + display + " is forbidden (HTTP 403)");
        if (status == 404 || status == 410) {
            return new SourceException(display + " was not found (HTTP " + status + ")");
        }
        return new SourceException("downloading " + display + " failed with HTTP " + status
                + (status >= 500 ? " (a server error)" : ""));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the caller deletes the whole work directory anyway
        }
    }
}
