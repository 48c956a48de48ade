package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.server.api.ApiServer;
import io.imagebuilder.testenv.TestEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A server in this JVM on a free port, with two API keys (alice's and bob's), building on loopback host 1 of the
 * test environment; and an HTTP client for it.
 */
public final class TestServer implements AutoCloseable {

    public static final String ALICE = "alice-key-0123456789";
    public static final String BOB = "bob-key-9876543210";
    /** The browser origin test servers allow (CORS). */
    public static final String PORTAL = "https://portal.example.org";
    static final ObjectMapper JSON = new ObjectMapper();

    private final ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ApiServer server) {
        this.server = server;
    }

    /** Writes the keys file and starts a server on {@code db} with its state under {@code dir}. */
    public static TestServer start(Path dir, TestDatabase db, int workers, Duration lease) throws Exception {
        return new TestServer(ApiServer.start(config(dir, db, workers, lease)));
    }

    public static TestServer start(ServerConfig config) throws Exception {
        return new TestServer(ApiServer.start(config));
    }

    /** A server that also accepts the bearer tokens {@code introspection} says are active. */
    public static TestServer start(ServerConfig config, TokenIntrospection introspection) throws Exception {
        return new TestServer(ApiServer.start(config, introspection));
    }

    public static ServerConfig config(Path dir, TestDatabase db, int workers, Duration lease) throws Exception {
        Path keys = dir.resolve("api-keys");
        if (!Files.exists(keys)) {
            Files.writeString(keys, "# test keys\n" + ApiKeys.line("alice", ALICE) + "\n" + ApiKeys.line("bob", BOB)
                    + "\n");
        }
        TestEnvironment env = TestEnvironment.load();
        return new ServerConfig("127.0.0.1", 0, db.url(), db.user(), db.password(), workers, keys,
                dir.resolve("state"), null, 64 * 1024, lease, new BuildHostSettings(List.of(env.dockerHost(1),
                env.dockerHost(2)),
                env.sshKey(), env.knownHosts(), env.dockerClient(), "none", List.of("linux/amd64", "linux/arm64"),
                null, null, null, null, null), true).withCorsOrigins(List.of(PORTAL));
    }

    public ApiServer server() {
        return server;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return send(method, path, key, body, "application/json", null);
    }

    public HttpResponse<String> send(String method, String path, String key, String body, String contentType,
                                     String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (key != null) b.header("X-API-Key", key);
        if (contentType != null && body != null) b.header("Content-Type", contentType);
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with headers of its own and no body. */
    public HttpResponse<String> exchange(String method, String path, String key, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (key != null) b.header("X-API-Key", key);
        headers.forEach(b::header);
        b.method(method, HttpRequest.BodyPublishers.noBody());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String key) throws Exception {
        return send("GET", path, key, null);
    }

    public static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** Polls the build until it has ended; its last state. */
    public JsonNode awaitEnd(String id, String key, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode b = json(get("/builds/" + id, key));
            String s = b.path("status").asText();
            if (s.equals("succeeded") || s.equals("failed") || s.equals("cancelled")) return b;
            if (System.nanoTime() > deadline) throw new AssertionError("build " + id + " did not end: " + b);
            Thread.sleep(100);
        }
    }

    /** Polls until the build is in {@code status}. */
    public JsonNode awaitStatus(String id, String key, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode b = json(get("/builds/" + id, key));
            if (b.path("status").asText().equals(status)) return b;
            if (System.nanoTime() > deadline) throw new AssertionError("build " + id + " never " + status + ": " + b);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
