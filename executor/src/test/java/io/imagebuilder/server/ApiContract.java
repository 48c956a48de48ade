package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.server.api.Route;
import io.imagebuilder.server.db.Database;
import io.imagebuilder.server.request.ServerInputs;
import io.imagebuilder.testenv.Cli;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API's behaviour with its database, run against H2 and PostgreSQL by the subclasses: authentication and
 * ownership, the job lifecycle of dry runs, paging, idempotency, every kind of bad input (and that none of it
 * reaches the database), secrets at rest, schema versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiContract {

    private static final Duration WAIT = Duration.ofSeconds(60);

    Path dir;

    TestDatabase db;
    TestServer server;

    abstract TestDatabase database(Path dir) throws Exception;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("ib-api-test-");
        db = database(dir);
        server = TestServer.start(dir, db, 2, Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (db != null) db.close();
        io.imagebuilder.util.Trees.delete(dir);
    }

    private static String tag() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoKey() throws Exception {
        HttpResponse<String> health = server.get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(health).path("database").asText()).isEqualTo("reachable");
        HttpResponse<String> doc = server.get("/openapi.yaml", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryRegisteredRoute() throws Exception {
        String text = server.get("/openapi.yaml", null).body();
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        assertThat(doc.get("openapi").toString()).startsWith("3.");
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        Set<String> documented = new HashSet<>();
        paths.forEach((path, ops) -> ((Map<String, Object>) ops).keySet().stream()
                .filter(k -> !k.equals("parameters")).forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        Set<String> registered = new HashSet<>();
        for (Route r : server.server().routes()) registered.add(r.method().name() + " " + r.path());
        assertThat(registered).hasSize(16);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
        for (Route r : server.server().routes()) {
            Map<String, Object> op = (Map<String, Object>) ((Map<String, Object>) paths.get(r.path()))
                    .get(r.method().name().toLowerCase(Locale.ROOT));
            assertThat(op.containsKey("security") && ((List<?>) op.get("security")).isEmpty())
                    .as("%s %s is documented as open exactly when it is", r.method(), r.path()).isEqualTo(r.open());
            assertThat(op.get("operationId")).as("%s %s has an operationId", r.method(), r.path()).isNotNull();
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            if (!r.open()) {
                assertThat(responses).as("%s %s declares its refusals", r.method(), r.path()).containsKey("401");
            }
            if (r.path().contains("{id}")) assertThat(responses).containsKey("404");
            if (r.method().name().equals("POST")) assertThat(responses).containsKeys("400", "415");
        }
        assertThat((List<?>) doc.get("servers")).isNotEmpty();
        assertThat(((Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("responses")))
                .containsKey("MethodNotAllowed");
    }

    @Test
    void everyOtherRouteWantsAValidKey() throws Exception {
        String id = submitDryRun(TestServer.ALICE, tag());
        for (String[] call : List.of(new String[] {"POST", "/builds"}, new String[] {"GET", "/builds"},
                new String[] {"GET", "/builds/" + id}, new String[] {"GET", "/builds/" + id + "/log"},
                new String[] {"GET", "/builds/" + id + "/lock"}, new String[] {"GET", "/builds/" + id + "/deliveries"}, new String[] {"DELETE", "/builds/" + id},
                new String[] {"GET", "/deployments/" + id + "/deliveries"}, new String[] {"GET", "/hosts"})) {
            for (String key : new String[] {null, "", "wrong-key", TestServer.ALICE + "x"}) {
                HttpResponse<String> r = server.send(call[0], call[1], key, call[0].equals("POST") ? "{}" : null);
                assertThat(r.statusCode()).as("%s %s with key %s", call[0], call[1], key).isEqualTo(401);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void aDryRunIsCommittedBeforeTheAnswerAndReportsWhatWouldBeBuilt() throws Exception {
        String tag = tag();
        HttpResponse<String> r = server.send("POST", "/builds?dry_run=true", TestServer.ALICE,
                Requests.bare("tests/api", tag, "pw-" + tag));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode accepted = TestServer.json(r);
        String id = accepted.path("id").asText();
        assertThat(accepted.path("status").asText()).isIn("queued", "running", "succeeded");
        assertThat(accepted.path("links").path("self").asText()).isEqualTo("/builds/" + id);
        assertThat(r.headers().firstValue("Location")).hasValue("/builds/" + id);
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT owner, dry_run FROM builds WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the row is visible to another connection when 202 arrives").isTrue();
                assertThat(rs.getString(1)).isEqualTo("alice");
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }
        JsonNode done = server.awaitEnd(id, TestServer.ALICE, WAIT);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("dry_run").asBoolean()).isTrue();
        assertThat(done.path("images").get(0).path("reference").asText()).isEqualTo("127.0.0.1:5000/tests/api:" + tag);
        assertThat(done.path("created_at").asText()).isNotEmpty();
        assertThat(done.path("started_at").asText()).isNotEmpty();
        assertThat(done.path("finished_at").asText()).isNotEmpty();
        assertThat(server.get("/builds/" + id + "/log", TestServer.ALICE).body()).contains("dry run " + id + " started");
        assertThat(done.path("requested").toString()).isEqualTo("[{\"image\":\"tests/api\",\"tag\":\"" + tag
                + "\",\"platforms\":null}]");
        assertThat(done.has("queue_position")).isFalse();
        assertThat(done.path("error").isNull()).isTrue();
        HttpResponse<String> lock = server.get("/builds/" + id + "/lock", TestServer.ALICE);
        assertThat(lock.statusCode()).as("a dry run builds nothing, so it has no lock").isEqualTo(404);
        assertThat(lock.body()).contains("a dry run never");
    }

    @Test
    void aBuildIsVisibleOnlyWithTheKeyThatCreatedIt() throws Exception {
        String id = submitDryRun(TestServer.ALICE, tag());
        assertThat(server.get("/builds/" + id, TestServer.ALICE).statusCode()).isEqualTo(200);
        assertThat(server.get("/builds/" + id, TestServer.BOB).statusCode()).isEqualTo(404);
        assertThat(server.get("/builds/" + id + "/log", TestServer.BOB).statusCode()).isEqualTo(404);
        assertThat(server.get("/builds/" + id + "/deliveries", TestServer.BOB).statusCode()).isEqualTo(404);
        assertThat(server.get("/deployments/" + id + "/deliveries", TestServer.ALICE).statusCode()).isEqualTo(404);
        assertThat(server.send("DELETE", "/builds/" + id, TestServer.BOB, null).statusCode()).isEqualTo(404);
        String bobs = server.get("/builds?limit=100", TestServer.BOB).body();
        assertThat(bobs).doesNotContain(id);
        assertThat(server.get("/builds?limit=100", TestServer.ALICE).body()).contains(id);
    }

    @Test
    void unknownIdsMethodsAndPathsAreProblems() throws Exception {
        HttpResponse<String> unknown = server.get("/builds/" + UUID.randomUUID(), TestServer.ALICE);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(TestServer.json(unknown).path("status").asInt()).isEqualTo(404);
        HttpResponse<String> put = server.send("PUT", "/builds", TestServer.ALICE, "{}");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(TestServer.json(put).path("title").asText()).isEqualTo("Method Not Allowed");
        assertThat(server.send("PATCH", "/builds/x", TestServer.ALICE, "{}").statusCode()).isEqualTo(405);
        assertThat(server.get("/no-such-thing", TestServer.ALICE).statusCode()).isEqualTo(404);
    }

    @Test
    void headAnswersAsGetWithoutABodyAndErrorsCarryTheirHeaders() throws Exception {
        String id = submitDryRun(TestServer.ALICE, tag());
        server.awaitEnd(id, TestServer.ALICE, WAIT);
        for (String path : List.of("/builds/" + id, "/builds/" + id + "/log", "/builds/" + id + "/log?follow=true",
                "/builds?limit=3", "/builds/" + UUID.randomUUID())) {
            HttpResponse<String> get = server.get(path, TestServer.ALICE);
            HttpResponse<String> head = server.send("HEAD", path, TestServer.ALICE, null);
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(get.statusCode());
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD " + path)
                    .isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValueAsLong("Content-Length")).as("HEAD " + path)
                    .hasValue(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(head.body()).isEmpty();
        }
        HttpResponse<String> noKey = server.get("/builds", null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey header=\"X-API-Key\"");
        assertThat(server.get("/builds", TestServer.ALICE).headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> put = server.send("PUT", "/builds", TestServer.ALICE, "{}");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("POST, GET, HEAD, OPTIONS");
        HttpResponse<String> patch = server.send("PATCH", "/builds/" + id, TestServer.ALICE, "{}");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).hasValue("GET, HEAD, DELETE, OPTIONS");
    }

    @Test
    void browsersOfAllowedOriginsGetCorsHeadersAndOthersNone() throws Exception {
        HttpResponse<String> preflight = server.exchange("OPTIONS", "/builds", null, Map.of("Origin", TestServer.PORTAL,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-api-key, content-type"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.body()).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestServer.PORTAL);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST", "GET");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("X-API-Key, "
                + "Authorization, Content-Type, Idempotency-Key, If-None-Match, Last-Event-ID");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(preflight.headers().allValues("Vary")).contains("Origin");
        HttpResponse<String> itemPreflight = server.exchange("OPTIONS", "/builds/" + UUID.randomUUID(), null,
                Map.of("Origin", TestServer.PORTAL, "Access-Control-Request-Method", "DELETE"));
        assertThat(itemPreflight.statusCode()).isEqualTo(204);
        assertThat(itemPreflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("DELETE");

        HttpResponse<String> stranger = server.exchange("OPTIONS", "/builds", null, Map.of("Origin",
                "https://evil.example.org", "Access-Control-Request-Method", "POST"));
        assertThat(stranger.headers().map().keySet()).noneMatch(h -> h.toLowerCase(Locale.ROOT)
                .startsWith("access-control-"));

        HttpResponse<String> list = server.exchange("GET", "/builds", TestServer.ALICE, Map.of("Origin",
                TestServer.PORTAL));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestServer.PORTAL);
        assertThat(list.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag, Link, Location");
        HttpResponse<String> noKey = server.exchange("GET", "/builds", null, Map.of("Origin", TestServer.PORTAL));
        assertThat(noKey.statusCode()).as("a browser can read why it was refused").isEqualTo(401);
        assertThat(noKey.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestServer.PORTAL);
        HttpResponse<String> strangerGet = server.exchange("GET", "/builds", TestServer.ALICE, Map.of("Origin",
                "https://evil.example.org"));
        assertThat(strangerGet.headers().map().keySet()).noneMatch(h -> h.toLowerCase(Locale.ROOT)
                .startsWith("access-control-"));
    }

    @Test
    void anUnchangedBuildOrPageIsAnswered304AgainstItsETag() throws Exception {
        String id = submitDryRun(TestServer.ALICE, tag());
        server.awaitEnd(id, TestServer.ALICE, WAIT);
        for (String path : List.of("/builds/" + id, "/builds?limit=2")) {
            HttpResponse<String> first = server.get(path, TestServer.ALICE);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            assertThat(first.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
            for (String condition : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
                HttpResponse<String> again = server.exchange("GET", path, TestServer.ALICE,
                        Map.of("If-None-Match", condition));
                assertThat(again.statusCode()).as(path + " If-None-Match: " + condition).isEqualTo(304);
                assertThat(again.body()).isEmpty();
                assertThat(again.headers().firstValue("ETag")).hasValue(etag);
            }
            assertThat(server.exchange("HEAD", path, TestServer.ALICE, Map.of("If-None-Match", etag)).statusCode())
                    .isEqualTo(304);
            HttpResponse<String> stale = server.exchange("GET", path, TestServer.ALICE,
                    Map.of("If-None-Match", "\"0123\""));
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo(first.body());
        }
        // bob sees another list, so another tag
        assertThat(server.get("/builds?limit=2", TestServer.BOB).headers().firstValue("ETag"))
                .isNotEqualTo(server.get("/builds?limit=2", TestServer.ALICE).headers().firstValue("ETag"));
    }

    @Test
    void theNextPageIsLinkedInTheLinkHeader() throws Exception {
        for (int i = 0; i < 3; i++) server.awaitEnd(submitDryRun(TestServer.BOB, tag()), TestServer.BOB, WAIT);
        HttpResponse<String> first = server.get("/builds?limit=1&status=succeeded", TestServer.BOB);
        String cursor = TestServer.json(first).path("next_cursor").asText();
        String link = first.headers().firstValue("Link").orElseThrow();
        var m = java.util.regex.Pattern.compile("<([^>]+)>; rel=\"next\"").matcher(link);
        assertThat(m.matches()).as(link).isTrue();
        assertThat(m.group(1)).startsWith("/builds?").contains("limit=1", "status=succeeded", "cursor=" + cursor);
        HttpResponse<String> byLink = server.get(m.group(1), TestServer.BOB);
        HttpResponse<String> byCursor = server.get("/builds?limit=1&status=succeeded&cursor=" + cursor,
                TestServer.BOB);
        assertThat(byLink.body()).isEqualTo(byCursor.body());
        JsonNode all = TestServer.json(server.get("/builds?limit=100", TestServer.BOB));
        assertThat(all.path("next_cursor").isNull()).isTrue();
        assertThat(server.get("/builds?limit=100", TestServer.BOB).headers().firstValue("Link")).isEmpty();
    }

    @Test
    void aLogIsReadFromAnyLineAsTextJsonOrEvents() throws Exception {
        // an ignored build host input adds a warning line to the log
        String id = submitDryRun(TestServer.ALICE, "{\"docker_host\": \"ssh://elsewhere\", \"build_params\": "
                + Requests.bare("tests/api", tag(), "pw") + "}", true);
        server.awaitEnd(id, TestServer.ALICE, WAIT);
        String path = "/builds/" + id + "/log";
        List<String> text = server.get(path, TestServer.ALICE).body().lines().toList();
        assertThat(text).hasSizeGreaterThanOrEqualTo(3);

        HttpResponse<String> json = server.exchange("GET", path, TestServer.ALICE, Map.of("Accept",
                "application/json"));
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode page = TestServer.json(json);
        assertThat(page.path("lines").size()).isEqualTo(text.size());
        for (int i = 0; i < text.size(); i++) {
            JsonNode line = page.path("lines").get(i);
            assertThat(line.path("line").asInt()).isEqualTo(i + 1);
            assertThat(line.path("text").asText()).isEqualTo(text.get(i));
            assertThat(java.time.OffsetDateTime.parse(line.path("time").asText())).isNotNull();
        }
        assertThat(page.path("last_line").asInt()).isEqualTo(text.size());
        assertThat(page.path("complete").asBoolean()).isTrue();
        assertThat(page.path("status").asText()).isEqualTo("succeeded");

        assertThat(server.get(path + "?after=2", TestServer.ALICE).body().lines().toList())
                .isEqualTo(text.subList(2, text.size()));
        assertThat(server.get(path + "?after=" + text.size(), TestServer.ALICE).body()).isEmpty();
        assertThat(server.get(path + "?after=-1", TestServer.ALICE).statusCode()).isEqualTo(400);
        assertThat(server.get(path + "?after=x", TestServer.ALICE).statusCode()).isEqualTo(400);

        HttpResponse<String> events = server.exchange("GET", path, TestServer.ALICE, Map.of("Accept",
                "text/event-stream"));
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> parsed = events(events.body());
        assertThat(parsed).hasSize(text.size() + 1);
        for (int i = 0; i < text.size(); i++) {
            assertThat(parsed.get(i)[0]).isEqualTo(Integer.toString(i + 1));
            assertThat(TestServer.JSON.readTree(parsed.get(i)[2]).path("text").asText()).isEqualTo(text.get(i));
        }
        String[] end = parsed.get(text.size());
        assertThat(end[1]).isEqualTo("end");
        assertThat(TestServer.JSON.readTree(end[2]).path("status").asText()).isEqualTo("succeeded");

        List<String[]> resumed = events(server.exchange("GET", path, TestServer.ALICE, Map.of("Accept",
                "text/event-stream", "Last-Event-ID", "2")).body());
        assertThat(resumed.get(0)[0]).isEqualTo("3");
        assertThat(resumed).hasSize(text.size() - 2 + 1);
    }

    /** Server-Sent Events as [id, event, data]. */
    private static List<String[]> events(String stream) {
        List<String[]> out = new ArrayList<>();
        for (String block : stream.split("\n\n")) {
            String[] e = new String[3];
            for (String line : block.split("\n")) {
                if (line.startsWith("id: ")) e[0] = line.substring(4);
                if (line.startsWith("event: ")) e[1] = line.substring(7);
                if (line.startsWith("data: ")) e[2] = line.substring(6);
            }
            if (e[2] != null) out.add(e);
        }
        return out;
    }

    @Test
    void liveAnswersMatchTheOpenApiDocument() throws Exception {
        OpenApiContract contract = new OpenApiContract(server, server.get("/openapi.yaml", null).body());
        String tag = tag();
        String body = Requests.bare("tests/api", tag, "pw");
        contract.check("GET", "/health", null, null, Map.of(), 200);
        contract.check("GET", "/openapi.yaml", null, null, Map.of(), 200);
        String key = "contract-" + UUID.randomUUID();
        String id = TestServer.json(contract.check("POST", "/builds?dry_run=true", TestServer.ALICE, body,
                Map.of("Idempotency-Key", key), 202)).path("id").asText();
        contract.check("POST", "/builds?dry_run=true", TestServer.ALICE, body, Map.of("Idempotency-Key", key), 200);
        contract.check("POST", "/builds?dry_run=true", TestServer.ALICE, body.replace("\"pw\"", "\"pw2\""),
                Map.of("Idempotency-Key", key), 422);
        contract.check("POST", "/builds", TestServer.ALICE, "{\"source\": 1}", Map.of(), 400);
        contract.check("POST", "/builds", TestServer.ALICE, "{", Map.of(), 400);
        contract.check("POST", "/builds", TestServer.ALICE, "x", Map.of("Content-Type", "text/plain"), 415);
        contract.check("GET", "/builds", null, null, Map.of(), 401);
        server.awaitEnd(id, TestServer.ALICE, WAIT);
        contract.check("GET", "/builds/" + id, TestServer.ALICE, null, Map.of(), 200);
        String etag = server.get("/builds/" + id, TestServer.ALICE).headers().firstValue("ETag").orElseThrow();
        contract.check("GET", "/builds/" + id, TestServer.ALICE, null, Map.of("If-None-Match", etag), 304);
        contract.check("GET", "/builds/" + UUID.randomUUID(), TestServer.ALICE, null, Map.of(), 404);
        contract.check("GET", "/builds?limit=1&status=succeeded", TestServer.ALICE, null, Map.of(), 200);
        contract.check("GET", "/builds?status=lost", TestServer.ALICE, null, Map.of(), 400);
        contract.check("GET", "/builds/" + id + "/log", TestServer.ALICE, null, Map.of(), 200);
        contract.check("GET", "/builds/" + id + "/log?after=1", TestServer.ALICE, null,
                Map.of("Accept", "application/json"), 200);
        contract.check("GET", "/builds/" + id + "/log", TestServer.ALICE, null,
                Map.of("Accept", "text/event-stream"), 200);
        contract.check("GET", "/builds/" + id + "/deliveries", TestServer.ALICE, null, Map.of(), 200);
        contract.check("GET", "/builds/" + UUID.randomUUID() + "/deliveries", TestServer.ALICE, null, Map.of(), 404);
        contract.check("GET", "/deployments/" + UUID.randomUUID() + "/deliveries", TestServer.ALICE, null, Map.of(),
                404);
        contract.check("DELETE", "/builds/" + id, TestServer.ALICE, null, Map.of(), 204);
        contract.check("GET", "/builds/" + id, TestServer.ALICE, null, Map.of(), 404);
        contract.check("POST", "/deployments", TestServer.ALICE, "{\"blueprint\": \"none\"}", Map.of(), 400);
        contract.check("POST", "/deployments", TestServer.ALICE, "x", Map.of("Content-Type", "text/plain"), 415);
        contract.check("GET", "/deployments?limit=5", TestServer.ALICE, null, Map.of(), 200);
        contract.check("GET", "/deployments/" + UUID.randomUUID(), TestServer.ALICE, null, Map.of(), 404);
        contract.check("DELETE", "/deployments/" + UUID.randomUUID(), TestServer.ALICE, null, Map.of(), 404);
        contract.check("GET", "/hosts", TestServer.ALICE, null, Map.of(), 200);
        contract.check("GET", "/hosts", null, null, Map.of(), 401);
        assertThat(contract.checked()).isEqualTo(29);
    }

    @Test
    void aBuildShowsWhoSubmittedItAndTheLabelsItSets() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode)
                TestServer.JSON.readTree(Requests.bare("tests/api", tag(), "pw"));
        body.putObject("labels").put("org.example.team", "<b>platform</b>");
        String id = submitDryRun(TestServer.ALICE, body.toString(), true);
        JsonNode build = TestServer.json(server.get("/builds/" + id, TestServer.ALICE));
        assertThat(build.path("owner").asText()).isEqualTo("alice");
        assertThat(build.path("labels").path("org.example.team").asText()).isEqualTo("<b>platform</b>");
        JsonNode item = null;
        for (JsonNode i : TestServer.json(server.get("/builds?limit=100", TestServer.ALICE)).path("items")) {
            if (i.path("id").asText().equals(id)) item = i;
        }
        assertThat(item).as("the build is listed").isNotNull();
        assertThat(item.path("owner").asText()).isEqualTo("alice");
        assertThat(item.path("requested").get(0).path("image").asText()).isEqualTo("tests/api");
    }

    @Test
    void theBuildHostsAreListedWithWhatTheirProbesFound() throws Exception {
        io.imagebuilder.testenv.TestEnvironment env = io.imagebuilder.testenv.TestEnvironment.load();
        HttpResponse<String> r = server.get("/hosts", TestServer.ALICE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = TestServer.json(r).path("items");
        assertThat(items).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode host = items.get(i);
            assertThat(host.path("docker_host").asText()).isEqualTo(env.dockerHost(i + 1));
            assertThat(host.path("max_concurrent_builds").asInt()).isEqualTo(1);
            JsonNode probe = host.path("probe");
            assertThat(probe.path("status").asText()).as(host.toString()).isEqualTo("reachable");
            assertThat(probe.path("engine_version").asText()).matches("\\d+\\..*");
            assertThat(probe.path("engine_platform").asText()).isEqualTo("linux/amd64");
            List<String> platforms = new ArrayList<>();
            probe.path("native_platforms").forEach(p -> platforms.add(p.asText()));
            assertThat(platforms).contains("linux/amd64", "linux/arm64");
            assertThat(probe.path("error").isNull()).isTrue();
        }
        // a second call within the probes' lifetime answers the same probes
        JsonNode again = TestServer.json(server.get("/hosts", TestServer.BOB)).path("items");
        assertThat(again.get(0).path("probe").path("probed_at")).isEqualTo(items.get(0).path("probe")
                .path("probed_at"));
        String key = Files.readString(env.sshKey());
        String secretPart = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(r.body()).doesNotContain(secretPart);
    }

    @Test
    void theDashboardIsServedWithoutAKeyUnderAStrictContentSecurityPolicy() throws Exception {
        for (String path : List.of("/", "/dashboard/app.js", "/dashboard/app.css", "/dashboard/vendor/js-yaml.mjs")) {
            HttpResponse<String> r = server.get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).as(path)
                    .isEqualTo("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                            + "form-action 'self'");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        }
        assertThat(server.get("/", null).headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(server.get("/dashboard/app.js", null).headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/javascript");
        // the page holds no inline script or style for the policy to refuse
        assertThat(server.get("/", null).body()).doesNotContain("<script>").doesNotContain("style=")
                .doesNotContain("<style");
        for (String bad : List.of("/dashboard/missing.js", "/dashboard/app.java")) {
            assertThat(server.get(bad, null).statusCode()).as(bad).isEqualTo(404);
        }
        HttpResponse<String> outside = server.get("/dashboard/..%2F..%2Fserver%2Fopenapi.yaml", null);
        assertThat(outside.statusCode()).as("a path out of the dashboard's folder").isIn(400, 404);
        assertThat(outside.body()).doesNotContain("openapi:");
    }

    /** One bad request, with the paths its problem must name; the CLI must print the same messages. */
    private record Bad(String name, String body, int status, List<String> paths) {
    }

    @Test
    void badRequestsAreRefusedWithThePathsOfTheFieldsAndLeaveNoTrace() throws Exception {
        String valid = Requests.bare("tests/api", "ok", "pw");
        List<Bad> cases = List.of(
                new Bad("not JSON", "{\"source\": ", 400, List.of("$")),
                new Bad("trailing garbage", "{} {}", 400, List.of("$")),
                new Bad("duplicate key", "{\"target\": {}, \"target\": {}}", 400, List.of("$")),
                new Bad("not an object", "[1, 2]", 400, List.of("$")),
                new Bad("empty", "", 400, List.of()),
                new Bad("unknown top-level field of a wrapped request",
                        "{\"build_params\": " + valid + ", \"colour\": \"blue\"}", 400, List.of("colour")),
                new Bad("unknown field", valid.replace("\"source\"", "\"colour\": 1, \"source\""), 400,
                        List.of("build_params.colour")),
                new Bad("wrong type", valid.replace("[{\"image\"", "\"notalist\", \"x\": [{\"image\""), 400,
                        List.of("build_params.target.images", "build_params.target.x")),
                new Bad("bad tag and missing image", valid.replace("\"image\": \"tests/api\", \"tag\": \"ok\"",
                        "\"tag\": \"no good!\""), 400, List.of("build_params.target.images[0].tag",
                        "build_params.target.images[0]")),
                new Bad("missing target", "{\"source\": {\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/x\"}}}",
                        400, List.of("build_params")),
                new Bad("credentials in a URL", valid.replace("http://127.0.0.1:8000", "http://u:secret@127.0.0.1:8000"),
                        400, List.of("build_params.source.dockerfile.url")),
                new Bad("bad platform", valid.replace("\"tag\": \"ok\"", "\"tag\": \"ok\", \"platforms\": [\"beos\"]"),
                        400, List.of("build_params.target.images[0].platforms[0]")));
        Map<String, Long> before = quietCounts();
        for (Bad bad : cases) {
            HttpResponse<String> r = server.send("POST", "/builds", TestServer.ALICE, bad.body());
            assertThat(r.statusCode()).as(bad.name() + ": " + r.body()).isEqualTo(bad.status());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            JsonNode problem = TestServer.json(r);
            List<String> paths = new ArrayList<>();
            problem.path("errors").forEach(e -> paths.add(e.path("path").asText()));
            assertThat(paths).as(bad.name() + ": " + r.body()).containsAll(bad.paths());
            if (!bad.paths().isEmpty() && bad.paths().get(0).startsWith("build_params")) {
                // the same document through the command line: every message the API gave is one it prints
                Path file = dir.resolve("cli-" + paths.size() + ".json");
                Files.writeString(file, bad.body());
                Cli cli = Cli.run("build", "--dry-run", file.toString());
                assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
                problem.path("errors").forEach(e -> assertThat(cli.err()).contains(e.path("message").asText()));
            }
        }
        assertThat(Tables.counts(db)).as("nothing stored for rejected requests").isEqualTo(before);
        Path incoming = dir.resolve("state/incoming");
        assertThat(Files.exists(incoming) ? Files.list(incoming).toList() : List.of()).as("no request file left behind")
                .isEmpty();
    }

    @Test
    void aJsonSyntaxErrorIsSaidPlainlyAtItsLineAndColumn() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\n  \"source\": ", "the document ends before its last object or array is closed");
        cases.put("{\n  \"target\": {},\n  \"target\": {}\n}", "the key \"target\" appears twice in one object");
        cases.put("{} {}", "more data follows the end of the JSON document");
        cases.put("{\n  \"source\": nope\n}", "expected a value (a string, number, object, array, true, false or "
                + "null), found 'nope'");
        cases.put("{\n  source: 1}", "expected a key in double quotes, found 's'");
        cases.put("{\"a\": 1 \"b\": 2}", "expected ',' or '}' after a value of the object, found '\"'");
        for (var c : cases.entrySet()) {
            for (String path : List.of("/builds", "/deployments")) {
                HttpResponse<String> r = server.send("POST", path, TestServer.ALICE, c.getKey());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                JsonNode error = TestServer.json(r).path("errors").get(0);
                assertThat(error.path("path").asText()).isEqualTo("$");
                assertThat(error.path("message").asText()).as(c.getKey()).isEqualTo(c.getValue());
                assertThat(error.path("line").asInt()).as(r.body()).isPositive();
                assertThat(error.path("column").asInt()).as(r.body()).isPositive();
                assertThat(r.body()).doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("Feature")
                        .doesNotContain("code ");
            }
        }
        JsonNode late = TestServer.json(server.send("POST", "/builds", TestServer.ALICE, "{\n  \"source\": nope\n}"))
                .path("errors").get(0);
        assertThat(late.path("line").asInt()).isEqualTo(2);
        assertThat(late.path("column").asInt()).as("where nope begins").isEqualTo(13);
    }

    @Test
    void convertedInputsFilesAreAcceptedWithTheirBuildHostInputsIgnored() throws Exception {
        Path inputs = Path.of(System.getProperty("imagebuilder.repo")).resolve("inputs");
        List<Path> files;
        try (var list = Files.list(inputs)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        Map<String, String> accepted = new java.util.LinkedHashMap<>();
        for (Path file : files) {
            Cli converted = Cli.run("convert", "--to", "json", file.toString());
            assertThat(converted.exitCode()).as(converted.toString()).isEqualTo(0);
            JsonNode document = TestServer.JSON.readTree(converted.out());
            List<String> hostInputs = new ArrayList<>();
            List<String> others = new ArrayList<>();
            document.fieldNames().forEachRemaining(n -> {
                if (ServerInputs.NAMES.contains(n)) hostInputs.add(n);
                else if (!n.equals("build_params") && !n.equals("registry_password")) others.add(n);
            });
            assertThat(hostInputs).as(file.toString()).contains("docker_host", "ssh_private_key", "known_hosts");
            HttpResponse<String> r = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, converted.out());
            if (others.isEmpty()) {
                assertThat(r.statusCode()).as(file + ": " + r.body()).isEqualTo(202);
                assertThat(TestServer.json(r).path("warnings").toString()).isEqualTo("[\"the server's build hosts are "
                        + "used; " + String.join(", ", hostInputs) + " ignored\"]");
                accepted.put(TestServer.json(r).path("id").asText(), file.toString());
            } else {
                // registry-node.yaml names a registry node of the other blueprint: no build request, but its build
                // host inputs are not among the problems
                assertThat(r.statusCode()).as(file + ": " + r.body()).isEqualTo(400);
                List<String> paths = new ArrayList<>();
                TestServer.json(r).path("errors").forEach(e -> paths.add(e.path("path").asText()));
                assertThat(paths).as(r.body()).containsExactlyInAnyOrderElementsOf(others);
            }
        }
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(11);
        for (var e : accepted.entrySet()) {
            JsonNode done = server.awaitEnd(e.getKey(), TestServer.ALICE, WAIT);
            assertThat(done.path("status").asText()).as(e.getValue() + ": " + done).isEqualTo("succeeded");
            assertThat(done.path("build_host").toString()).as(e.getValue()).isEqualTo(expectedHosts());
            assertThat(server.get("/builds/" + e.getKey() + "/log", TestServer.ALICE).body()).as(e.getValue())
                    .contains("the server's build hosts are used; docker_host, ");
        }

        // an engine and a key of the client's choosing are not used, and the other fields keep their places
        String body = "{\n  \"docker_host\": \"ssh://root@elsewhere.invalid:22\",\n  \"ssh_private_key\": \"/etc/shadow\","
                + "\n  \"build_params\": " + Requests.bare("tests/api", tag(), "pw") + "}";
        HttpResponse<String> elsewhere = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, body);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(202);
        JsonNode planned = server.awaitEnd(TestServer.json(elsewhere).path("id").asText(), TestServer.ALICE, WAIT);
        assertThat(planned.path("status").asText()).as(planned.toString()).isEqualTo("succeeded");
        assertThat(planned.path("build_host").toString()).isEqualTo(expectedHosts());
        String bad = body.replace("\"tag\": \"t", "\"tag\": \"no good ");
        HttpResponse<String> refused = server.send("POST", "/builds", TestServer.ALICE, bad);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = TestServer.json(refused).path("errors").get(0);
        assertThat(error.path("path").asText()).isEqualTo("build_params.target.images[0].tag");
        int at = bad.indexOf("\"no good ");
        assertThat(error.path("line").asInt()).as(refused.body()).isEqualTo(bad.substring(0, at).split("\n", -1).length);
    }

    private static String expectedHosts() {
        var env = io.imagebuilder.testenv.TestEnvironment.load();
        return "[\"" + env.dockerHost(1) + "\",\"" + env.dockerHost(2) + "\"]";
    }

    @Test
    void tooLargeBodiesUnsupportedTypesAndBadParametersAreRefused() throws Exception {
        Map<String, Long> before = quietCounts();
        String huge = "{\"source\": \"" + "x".repeat(70 * 1024) + "\"}";
        assertThat(server.send("POST", "/builds", TestServer.ALICE, huge).statusCode()).isEqualTo(413);
        assertThat(server.send("POST", "/builds", TestServer.ALICE, "{}", "text/plain", null).statusCode())
                .isEqualTo(415);
        assertThat(server.send("POST", "/builds?dry_run=maybe", TestServer.ALICE, Requests.bare("a", "b", "c"))
                .statusCode()).isEqualTo(400);
        assertThat(server.get("/builds?status=lost", TestServer.ALICE).statusCode()).isEqualTo(400);
        assertThat(server.get("/builds?limit=0", TestServer.ALICE).statusCode()).isEqualTo(400);
        assertThat(server.get("/builds?limit=many", TestServer.ALICE).statusCode()).isEqualTo(400);
        assertThat(server.get("/builds?cursor=%21%21", TestServer.ALICE).statusCode()).isEqualTo(400);
        assertThat(Tables.counts(db)).isEqualTo(before);
    }

    @Test
    void pagesWalkEveryBuildOnceNewestFirst() throws Exception {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) mine.add(submitDryRun(TestServer.BOB, tag()));
        for (String id : mine) server.awaitEnd(id, TestServer.BOB, WAIT);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = TestServer.json(server.get("/builds?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    TestServer.BOB));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            page.path("items").forEach(i -> seen.add(i.path("id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        List<String> newestFirst = new ArrayList<>(mine);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsSubsequence(newestFirst).doesNotHaveDuplicates();
        JsonNode succeeded = TestServer.json(server.get("/builds?status=succeeded&limit=100", TestServer.BOB));
        succeeded.path("items").forEach(i -> assertThat(i.path("status").asText()).isEqualTo("succeeded"));
        assertThat(succeeded.path("items").size()).isGreaterThanOrEqualTo(5);
        assertThat(TestServer.json(server.get("/builds?status=running&limit=100", TestServer.BOB)).path("items")
                .toString()).doesNotContain(mine.get(0));
    }

    @Test
    void aFullLastPageHasNoCursorAndRepeatedStatusesMatchAnyOfThem() throws Exception {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) mine.add(submitDryRun(TestServer.BOB, tag()));
        for (String id : mine) server.awaitEnd(id, TestServer.BOB, WAIT);
        int all = TestServer.json(server.get("/builds?limit=100", TestServer.BOB)).path("items").size();
        assertThat(all).isBetween(3, 99);
        JsonNode exact = TestServer.json(server.get("/builds?limit=" + all, TestServer.BOB));
        assertThat(exact.path("items").size()).isEqualTo(all);
        assertThat(exact.path("next_cursor").isNull()).as("no next page: " + exact).isTrue();
        JsonNode first = TestServer.json(server.get("/builds?limit=" + (all - 1), TestServer.BOB));
        JsonNode last = TestServer.json(server.get("/builds?limit=" + (all - 1) + "&cursor="
                + first.path("next_cursor").asText(), TestServer.BOB));
        assertThat(last.path("items").size()).isEqualTo(1);
        assertThat(last.path("next_cursor").isNull()).as(last.toString()).isTrue();

        Set<String> either = new HashSet<>();
        for (String status : List.of("cancelled", "succeeded")) {
            TestServer.json(server.get("/builds?limit=100&status=" + status, TestServer.BOB)).path("items")
                    .forEach(i -> either.add(i.path("id").asText()));
        }
        Set<String> both = new HashSet<>();
        TestServer.json(server.get("/builds?limit=100&status=cancelled&status=succeeded", TestServer.BOB))
                .path("items").forEach(i -> both.add(i.path("id").asText()));
        assertThat(both).containsAll(mine).isEqualTo(either);
        HttpResponse<String> unknown = server.get("/builds?status=succeeded&status=lost", TestServer.BOB);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(unknown).path("detail").asText()).contains("\"lost\"");
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstJob() throws Exception {
        String key = "order-" + UUID.randomUUID();
        String body = Requests.bare("tests/api", tag(), "pw");
        HttpResponse<String> first = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, body,
                "application/json", key);
        assertThat(first.statusCode()).isEqualTo(202);
        HttpResponse<String> again = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, body,
                "application/json", key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(again).path("id").asText()).isEqualTo(TestServer.json(first).path("id").asText());
        HttpResponse<String> other = server.send("POST", "/builds?dry_run=true", TestServer.ALICE,
                Requests.bare("tests/api", tag(), "pw"), "application/json", key);
        assertThat(other.statusCode()).isEqualTo(422);
        // keys are per owner: bob's same key is a new job
        assertThat(server.send("POST", "/builds?dry_run=true", TestServer.BOB, body, "application/json", key)
                .statusCode()).isEqualTo(202);
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM builds WHERE idempotency_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void noTableHoldsASecretInPlainText() throws Exception {
        String inside = "inside-" + UUID.randomUUID();
        String beside = "beside-" + UUID.randomUUID();
        String bare = submitDryRun(TestServer.ALICE, Requests.bare("tests/api", tag(), inside), true);
        String wrapped = submitDryRun(TestServer.ALICE, "{\"build_params\": " + Requests.bare("tests/api", tag(), inside)
                + ", \"registry_password\": \"" + beside + "\"}", true);
        server.awaitEnd(bare, TestServer.ALICE, WAIT);
        server.awaitEnd(wrapped, TestServer.ALICE, WAIT);
        String dump = Tables.dump(db);
        assertThat(dump).contains(bare).contains(wrapped).contains("****");
        assertThat(dump).doesNotContain(inside).doesNotContain(beside);
        assertThat(server.get("/builds/" + wrapped, TestServer.ALICE).body()).doesNotContain(inside).doesNotContain(beside);
    }

    @Test
    void aQueuedBuildSurvivesARestartAndCanBeCancelledBeforeItStarts() throws Exception {
        Path idle = dir.resolve("idle");
        Files.createDirectories(idle);
        Files.copy(dir.resolve("api-keys"), idle.resolve("api-keys"));
        String kept;
        String dropped;
        var config = TestServer.config(idle, db, 0, Duration.ofSeconds(10));
        // the idle server shares the main one's secret key, as servers on one database must
        config = new ServerConfig(config.host(), 0, config.dbUrl(), config.dbUser(), config.dbPassword(), 0,
                config.apiKeysFile(), config.stateDir(), dir.resolve("state/secret.key"), config.maxBodyBytes(),
                config.lease(), config.buildHost(), true);
        server.close();
        try (var noWorkers = io.imagebuilder.server.api.ApiServer.start(config)) {
            var client = new ClientOf(noWorkers.port());
            String keptTag = tag();
            String wrapped = "{\"build_params\": " + Requests.bare("tests/api", keptTag, "pw").replace("\"tag\": \""
                    + keptTag + "\"", "\"tag\": \"" + keptTag + "\", \"platforms\": [\"linux/arm64\"]") + "}";
            kept = TestServer.json(client.post(TestServer.ALICE, wrapped)).path("id").asText();
            dropped = TestServer.json(client.post(TestServer.ALICE, Requests.bare("tests/api", tag(), "pw"))).path("id").asText();
            JsonNode first = TestServer.json(client.get(TestServer.ALICE, kept));
            JsonNode second = TestServer.json(client.get(TestServer.ALICE, dropped));
            assertThat(first.path("queue_position").asInt()).isPositive();
            assertThat(second.path("queue_position").asInt()).isEqualTo(first.path("queue_position").asInt() + 1);
            assertThat(first.path("requested").toString()).isEqualTo("[{\"image\":\"tests/api\",\"tag\":\""
                    + keptTag + "\",\"platforms\":[\"linux/arm64\"]}]");
            assertThat(first.path("build_host").isNull()).as("not chosen yet").isTrue();
            // a browser following the queued build's events sees it end
            var following = java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + noWorkers.port() + "/builds/" + dropped + "/log"))
                    .header("X-API-Key", TestServer.ALICE).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertThat(following).as("still streaming while queued").isNotDone();
            HttpResponse<String> cancel = client.delete(TestServer.ALICE, dropped);
            List<String[]> events = events(following.get(10, java.util.concurrent.TimeUnit.SECONDS).body());
            assertThat(events).hasSize(1);
            assertThat(events.get(0)[1]).isEqualTo("end");
            assertThat(TestServer.JSON.readTree(events.get(0)[2]).path("error").path("code").asText())
                    .isEqualTo("cancelled");
            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(cancel).path("status").asText()).isEqualTo("cancelled");
            assertThat(TestServer.json(cancel).path("error").toString()).isEqualTo("{\"code\":\"cancelled\","
                    + "\"message\":\"cancelled before it started\"}");
            assertThat(client.delete(TestServer.ALICE, dropped).statusCode()).as("ended: removed").isEqualTo(204);
            Thread.sleep(300);
            assertThat(TestServer.json(client.get(TestServer.ALICE, kept)).path("status").asText()).isEqualTo("queued");
        }
        server = TestServer.start(dir, db, 2, Duration.ofSeconds(10));
        JsonNode done = server.awaitEnd(kept, TestServer.ALICE, WAIT);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(server.get("/builds/" + dropped, TestServer.ALICE).statusCode()).isEqualTo(404);
    }

    @Test
    void aQueuedBuildWhoseSecretsCannotBeDecryptedFailsWithAClearError() throws Exception {
        Path idle = dir.resolve("idle-" + UUID.randomUUID());
        Path other = dir.resolve("other-" + UUID.randomUUID());
        Files.createDirectories(idle);
        Files.createDirectories(other);
        Files.copy(dir.resolve("api-keys"), idle.resolve("api-keys"));
        Files.copy(dir.resolve("api-keys"), other.resolve("api-keys"));
        String id;
        // queued by a server without workers, with the main server's key
        var queuing = TestServer.config(idle, db, 0, Duration.ofSeconds(10));
        queuing = new ServerConfig(queuing.host(), 0, queuing.dbUrl(), queuing.dbUser(), queuing.dbPassword(), 0,
                queuing.apiKeysFile(), queuing.stateDir(), dir.resolve("state/secret.key"), queuing.maxBodyBytes(),
                queuing.lease(), queuing.buildHost(), true);
        server.close();
        try (var noWorkers = io.imagebuilder.server.api.ApiServer.start(queuing)) {
            id = TestServer.json(new ClientOf(noWorkers.port()).post(TestServer.ALICE,
                    Requests.bare("tests/api", tag(), "pw"))).path("id").asText();
        }
        // run by a server whose secret key is another (its own, created in its state directory)
        try (TestServer wrongKey = TestServer.start(other, db, 1, Duration.ofSeconds(10))) {
            JsonNode done = wrongKey.awaitEnd(id, TestServer.ALICE, WAIT);
            assertThat(done.path("status").asText()).isEqualTo("failed");
            assertThat(done.path("error").path("code").asText()).isEqualTo("server_error");
            assertThat(done.path("error").path("message").asText())
                    .isEqualTo("the stored request cannot be decrypted with this server's secret key");
        } finally {
            server = TestServer.start(dir, db, 2, Duration.ofSeconds(10));
        }
    }

    @Test
    void deploymentRequestsAreCheckedAndBuildsAndDeploymentsAreApart() throws Exception {
        String inputs = "{\"build_params\": " + Requests.bare("tests/api", "ok", "pw") + "}";
        Map<String, Long> before = quietCounts();
        HttpResponse<String> unknown = server.send("POST", "/deployments", TestServer.ALICE,
                "{\"blueprint\": \"../etc/passwd\", \"inputs\": " + inputs + "}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(unknown).path("errors").get(0).path("path").asText()).isEqualTo("blueprint");
        assertThat(TestServer.json(unknown).path("errors").get(0).path("message").asText())
                .contains("docker_image_definition");
        HttpResponse<String> hostInput = server.send("POST", "/deployments", TestServer.ALICE,
                "{\"blueprint\": \"docker_image_definition\", \"inputs\": {\"docker_host\": \"ssh://elsewhere\"}}");
        assertThat(hostInput.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(hostInput).path("errors").get(0).path("path").asText()).isEqualTo("inputs.docker_host");
        // the server's limits are the operator's: a client cannot raise them
        HttpResponse<String> limit = server.send("POST", "/deployments", TestServer.ALICE,
                "{\"blueprint\": \"docker_image_definition\", \"inputs\": {\"max_dockerfile_bytes\": 1073741824}}");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(limit).path("errors").get(0).path("path").asText())
                .isEqualTo("inputs.max_dockerfile_bytes");
        HttpResponse<String> badTag = server.send("POST", "/deployments", TestServer.ALICE,
                "{\"blueprint\": \"docker_image_definition\", \"inputs\": " + inputs.replace("\"ok\"", "\"no good\"")
                        + "}");
        assertThat(badTag.statusCode()).as(badTag.body()).isEqualTo(400);
        assertThat(TestServer.json(badTag).path("errors").get(0).path("path").asText())
                .isEqualTo("build_params.target.images[0].tag");
        assertThat(Tables.counts(db)).isEqualTo(before);

        String build = submitDryRun(TestServer.ALICE, tag());
        assertThat(server.get("/deployments/" + build, TestServer.ALICE).statusCode()).isEqualTo(404);
        HttpResponse<String> accepted = server.send("POST", "/deployments", TestServer.ALICE,
                "{\"blueprint\": \"docker_image_definition\", \"inputs\": " + inputs + "}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String deployment = TestServer.json(accepted).path("id").asText();
        assertThat(server.get("/builds/" + deployment, TestServer.ALICE).statusCode()).isEqualTo(404);
        assertThat(server.get("/deployments/" + deployment, TestServer.BOB).statusCode()).isEqualTo(404);
        // a running deployment may change between two requests: one of a few tries must find it unchanged
        int unchanged = 0;
        for (int i = 0; i < 20 && unchanged != 304; i++) {
            String etag = server.get("/deployments/" + deployment, TestServer.ALICE).headers().firstValue("ETag")
                    .orElseThrow();
            unchanged = server.exchange("GET", "/deployments/" + deployment, TestServer.ALICE,
                    Map.of("If-None-Match", etag)).statusCode();
        }
        assertThat(unchanged).isEqualTo(304);
        assertThat(server.get("/builds?limit=100", TestServer.ALICE).body()).doesNotContain(deployment);
        assertThat(Tables.dump(db)).doesNotContain("\"pw\"");
    }

    @Test
    void deploymentsArePagedCancelledAndIdempotentLikeBuilds() throws Exception {
        Path idle = dir.resolve("idle-deployments");
        Files.createDirectories(idle);
        Files.copy(dir.resolve("api-keys"), idle.resolve("api-keys"));
        var c = TestServer.config(idle, db, 0, Duration.ofSeconds(10));
        // no workers: the deployments stay queued; the main server, which would run them, is stopped meanwhile
        c = new ServerConfig(c.host(), 0, c.dbUrl(), c.dbUser(), c.dbPassword(), 0, c.apiKeysFile(), c.stateDir(),
                dir.resolve("state/secret.key"), c.maxBodyBytes(), c.lease(), c.buildHost(), true);
        String inputs = "{\"build_params\": " + Requests.bare("tests/api", tag(), "pw") + "}";
        String body = "{\"blueprint\": \"docker_image_definition\", \"inputs\": " + inputs + "}";
        Map<String, Long> before = quietCounts();
        server.close();
        try (TestServer idleServer = TestServer.start(c)) {
            assertThat(idleServer.send("POST", "/deployments", TestServer.ALICE, body, "text/plain", null)
                    .statusCode()).isEqualTo(415);
            HttpResponse<String> bad = idleServer.send("POST", "/deployments", TestServer.ALICE,
                    body.replace("docker_image_definition", "nothing"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(TestServer.json(bad).path("title").asText()).isEqualTo("Invalid deployment request");
            assertThat(Tables.counts(db)).isEqualTo(before);

            String key = "deploy-" + UUID.randomUUID();
            HttpResponse<String> first = idleServer.send("POST", "/deployments", TestServer.ALICE, body,
                    "application/json", key);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            String id = TestServer.json(first).path("id").asText();
            HttpResponse<String> again = idleServer.send("POST", "/deployments", TestServer.ALICE, body,
                    "application/json", key);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(again).path("id").asText()).isEqualTo(id);
            assertThat(again.headers().firstValue("Location")).hasValue("/deployments/" + id);
            assertThat(idleServer.send("POST", "/deployments", TestServer.ALICE, body.replace("\"pw\"", "\"pw2\""),
                    "application/json", key).statusCode()).isEqualTo(422);
            String other = TestServer.json(idleServer.send("POST", "/deployments", TestServer.ALICE, body))
                    .path("id").asText();
            String build = submitDryRunTo(idleServer);

            HttpResponse<String> page = idleServer.get("/deployments?limit=1", TestServer.ALICE);
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode items = TestServer.json(page).path("items");
            assertThat(items.size()).isEqualTo(1);
            assertThat(items.get(0).path("id").asText()).isEqualTo(other);
            assertThat(items.get(0).path("blueprint").asText()).isEqualTo("docker_image_definition");
            assertThat(items.get(0).path("links").path("self").asText()).isEqualTo("/deployments/" + other);
            String link = page.headers().firstValue("Link").orElseThrow();
            String next = link.substring(1, link.indexOf('>'));
            JsonNode second = TestServer.json(idleServer.get(next, TestServer.ALICE));
            assertThat(second.path("items").get(0).path("id").asText()).isEqualTo(id);
            assertThat(idleServer.get("/deployments?limit=100", TestServer.ALICE).body()).doesNotContain(build);
            assertThat(idleServer.get("/deployments?limit=100", TestServer.BOB).body()).doesNotContain(id);
            assertThat(idleServer.get("/deployments?status=lost", TestServer.ALICE).statusCode()).isEqualTo(400);

            String etag = idleServer.get("/deployments/" + id, TestServer.ALICE).headers().firstValue("ETag")
                    .orElseThrow();
            assertThat(idleServer.exchange("GET", "/deployments/" + id, TestServer.ALICE,
                    Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);

            assertThat(idleServer.send("DELETE", "/deployments/" + id, TestServer.BOB, null).statusCode())
                    .isEqualTo(404);
            assertThat(idleServer.send("DELETE", "/deployments/" + build, TestServer.ALICE, null).statusCode())
                    .isEqualTo(404);
            HttpResponse<String> cancel = idleServer.send("DELETE", "/deployments/" + id, TestServer.ALICE, null);
            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(cancel).path("status").asText()).isEqualTo("cancelled");
            assertThat(TestServer.json(cancel).path("error").path("code").asText()).isEqualTo("cancelled");
            HttpResponse<String> ended = idleServer.send("DELETE", "/deployments/" + id, TestServer.ALICE, null);
            assertThat(ended.statusCode()).isEqualTo(409);
            assertThat(TestServer.json(ended).path("title").asText()).isEqualTo("Deployment already ended");
            assertThat(idleServer.send("DELETE", "/deployments/" + other, TestServer.ALICE, null).statusCode())
                    .isEqualTo(200);
            assertThat(idleServer.send("DELETE", "/builds/" + build, TestServer.ALICE, null).statusCode())
                    .isEqualTo(200);
        } finally {
            server = TestServer.start(dir, db, 2, Duration.ofSeconds(10));
        }
    }

    private String submitDryRunTo(TestServer to) throws Exception {
        HttpResponse<String> r = to.send("POST", "/builds?dry_run=true", TestServer.ALICE,
                Requests.bare("tests/api", tag(), "pw"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestServer.json(r).path("id").asText();
    }

    @Test
    void aServerRefusesLocalSourcesUnlessAllowed() throws Exception {
        Path strict = dir.resolve("strict-" + UUID.randomUUID());
        Files.createDirectories(strict);
        Files.copy(dir.resolve("api-keys"), strict.resolve("api-keys"));
        var c = TestServer.config(strict, db, 0, Duration.ofSeconds(10));
        c = new ServerConfig(c.host(), 0, c.dbUrl(), c.dbUser(), c.dbPassword(), 0, c.apiKeysFile(), c.stateDir(),
                dir.resolve("state/secret.key"), c.maxBodyBytes(), c.lease(), c.buildHost(), false);
        Map<String, Long> before = quietCounts();
        try (var server = io.imagebuilder.server.api.ApiServer.start(c)) {
            var client = new Client(server.port(), TestServer.ALICE);
            String remote = Requests.bare("tests/api", tag(), "pw");
            Map<String, String> refused = Map.of(
                    remote.replace("\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/no_context/Dockerfile\"}",
                            "\"git_repo\": {\"url\": \"file:///srv/secrets\"}"), "build_params.source.git_repo.url",
                    remote.replace("\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/no_context/Dockerfile\"}",
                            "\"path\": \"/etc\""), "build_params.source.path",
                    remote.replace("\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/no_context/Dockerfile\"}",
                            "\"tar\": {\"path\": \"/root/backup.tar\"}"), "build_params.source.tar.path",
                    // URL schemes are case-insensitive, and git reads these as the same local repository
                    remote.replace("\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/no_context/Dockerfile\"}",
                            "\"git_repo\": {\"url\": \"FILE:///srv/secrets\"}"), "build_params.source.git_repo.url",
                    remote.replace("\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/no_context/Dockerfile\"}",
                            "\"dockerfile\": {\"url\": \"http://127.0.0.1:8000/no_context/Dockerfile\"}, "
                                    + "\"build_context\": {\"url\": \"File:///srv/secrets\"}"),
                    "build_params.source.build_context.url");
            for (var e : refused.entrySet()) {
                HttpResponse<String> r = client.post("/builds", e.getKey());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(TestServer.json(r).path("errors").get(0).path("path").asText()).isEqualTo(e.getValue());
                HttpResponse<String> d = client.post("/deployments", "{\"blueprint\": \"docker_image_definition\", "
                        + "\"inputs\": {\"build_params\": " + e.getKey() + "}}");
                assertThat(d.statusCode()).as(d.body()).isEqualTo(400);
                assertThat(TestServer.json(d).path("errors").get(0).path("path").asText())
                        .isEqualTo("inputs." + e.getValue());
            }
            assertThat(Tables.counts(db)).isEqualTo(before);
            assertThat(client.post("/builds?dry_run=true", remote).statusCode()).as("remote sources are built")
                    .isEqualTo(202);
        }
    }

    /** The version of the newest migration this server ships. */
    private static int latestMigration() throws Exception {
        try (var files = Files.list(Path.of(Database.class.getResource("/db/migration").toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
    }

    @Test
    void aDatabaseMigratedByANewerServerIsRefused() throws Exception {
        TestDatabase other = database(dir.resolve("newer"));
        try {
            Flyway.configure().dataSource(other.url(), other.user(), other.password())
                    .locations("classpath:db/migration", "classpath:db/future-test").load().migrate();
            assertThatThrownBy(() -> Database.open(other.url(), other.user(), other.password(), 2))
                    .hasMessageContaining("schema is at version 99, newer than this server's " + latestMigration());
        } finally {
            other.close();
        }
    }

    /** Row counts once every earlier job has ended, so none of them is still writing its log. */
    private Map<String, Long> quietCounts() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                    "SELECT COUNT(*) FROM builds WHERE status IN ('queued', 'running')"); ResultSet rs = s.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) return Tables.counts(db);
            }
            assertThat(System.nanoTime()).as("earlier jobs end").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private String submitDryRun(String key, String tag) throws Exception {
        return submitDryRun(key, Requests.bare("tests/api", tag, "pw"), true);
    }

    private String submitDryRun(String key, String body, boolean dryRun) throws Exception {
        HttpResponse<String> r = server.send("POST", "/builds" + (dryRun ? "?dry_run=true" : ""), key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestServer.json(r).path("id").asText();
    }

    /** A bare client of a server started directly (not through TestServer). */
    private record ClientOf(int port) {
        private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

        HttpResponse<String> post(String key, String body) throws Exception {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/builds?dry_run=true")).header("X-API-Key", key).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String key, String id) throws Exception {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/builds/" + id)).header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> delete(String key, String id) throws Exception {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/builds/" + id)).header("X-API-Key", key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
