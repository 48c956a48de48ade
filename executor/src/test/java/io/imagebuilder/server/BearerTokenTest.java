package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.server.api.ApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth 2.0 bearer tokens checked by token introspection (RFC 7662) against an authorization server's
 * introspection endpoint, served here over real HTTP on loopback: an active token owns its builds, an inactive one
 * or a server client the endpoint refuses gets 401, and no token reaches the database.
 */
class BearerTokenTest {

    private static final String CLIENT = "image-builder";
    private static final String SECRET = "client secret & more";
    private static final String CAROL = "carol-token-5f1d";
    private static final String EXPIRED = "expired-token-77aa";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer authorizationServer;
    private final List<String> introspected = new CopyOnWriteArrayList<>();
    private TestDatabase db;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        authorizationServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString(("image-builder:client+secret+%26+more")
                .getBytes(StandardCharsets.UTF_8));
        authorizationServer.createContext("/introspect", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean client = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            String token = "";
            for (String pair : body.split("&")) {
                if (pair.startsWith("token=")) token = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
            introspected.add(token);
            byte[] answer = (!client ? "{\"error\":\"invalid_client\"}"
                    : token.equals(CAROL) ? "{\"active\":true,\"sub\":\"carol\",\"scope\":\"builds\"}"
                    : "{\"active\":false}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(client ? 200 : 401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        authorizationServer.start();
        db = TestDatabase.h2(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        authorizationServer.stop(0);
        db.close();
    }

    private void startServer(String secret) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("client-secret"), secret + "\n");
        URI endpoint = URI.create("http://127.0.0.1:" + authorizationServer.getAddress().getPort() + "/introspect");
        server = ApiServer.start(TestServer.config(dir, db, 0, Duration.ofSeconds(10)),
                TokenIntrospection.of(endpoint, CLIENT, secretFile));
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    @Test
    void anActiveTokenOwnsItsBuildsAndAnAPIKeyDoesNotSeeThem() throws Exception {
        startServer(SECRET);
        HttpResponse<String> submitted = send("POST", "/builds?dry_run=true", bearer(CAROL),
                Requests.bare("tests/bearer", "v1", "registry-pass-4242"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).path("id").asText();
        assertThat(introspected).contains(CAROL);

        assertThat(send("GET", "/builds/" + id, bearer(CAROL), null).statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(send("GET", "/builds", bearer(CAROL), null).body());
        assertThat(list.findValuesAsText("id")).contains(id);
        HttpResponse<String> byKey = send("GET", "/builds/" + id, Map.of("X-API-Key", TestServer.ALICE), null);
        assertThat(byKey.statusCode()).isEqualTo(404);

        String tables = Tables.dump(db);
        assertThat(tables).doesNotContain(CAROL).doesNotContain("registry-pass-4242").contains("oauth:carol");
    }

    @Test
    void anInactiveTokenIsRefusedAndLeavesNoTrace() throws Exception {
        startServer(SECRET);
        String before = Tables.dump(db);
        HttpResponse<String> r = send("POST", "/builds?dry_run=true", bearer(EXPIRED),
                Requests.bare("tests/bearer", "v2", "pw"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body()).contains("the bearer token is not active").doesNotContain(EXPIRED);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValue("ApiKey header=\"X-API-Key\", Bearer realm=\"image-builder\"");
        assertThat(Tables.dump(db)).isEqualTo(before);
        // API keys still work beside tokens
        assertThat(send("GET", "/builds", Map.of("X-API-Key", TestServer.BOB), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aServerClientTheEndpointRefusesAcceptsNoToken() throws Exception {
        startServer("not the secret");
        HttpResponse<String> r = send("GET", "/builds", bearer(CAROL), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(introspected).contains(CAROL);
    }

    @Test
    void withoutAnIntrospectionEndpointBearerTokensAreNotAccepted() throws Exception {
        server = ApiServer.start(TestServer.config(dir, db, 0, Duration.ofSeconds(10)));
        HttpResponse<String> r = send("GET", "/builds", bearer(CAROL), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(introspected).isEmpty();
    }
}
