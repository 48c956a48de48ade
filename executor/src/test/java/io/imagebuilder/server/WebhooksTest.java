package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.server.hooks.WebhookFile;
import io.imagebuilder.server.hooks.WebhookSettings;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks of a real server, on H2 and PostgreSQL, posted to a receiver in this JVM: every state change of a real
 * build on the loopback host, signed with the owner's secret; retries of 5xx answers and none of 4xx, each attempt
 * recorded; the secret nowhere but in the signature.
 */
class WebhooksTest {

    private static final String IMAGE = "tests/webhooks";
    private static final String CAROL = "carol-key-5555555555";
    private static final String ALICE_SECRET = "alice-signing-secret-" + UUID.randomUUID();
    private static final String BOB_SECRET = "bob-signing-secret-" + UUID.randomUUID();
    private static final String CAROL_SECRET = "carol-signing-secret-" + UUID.randomUUID();
    private static TestEnvironment env;

    @TempDir
    Path tmp;

    private ServerConfig configured;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void everyStateChangeIsPostedSignedRetriedOnlyWhenWorthItAndRecorded(String kind) throws Exception {
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN echo hooked > /f\n");
        try (Receiver receiver = new Receiver(Map.of("/ok", attempt -> 200,
                "/flaky", attempt -> attempt <= 2 ? 500 : 200, "/refusing", attempt -> 400));
             TestDatabase db = TestDatabase.of(kind, tmp);
             TestServer server = TestServer.start(config(db, receiver))) {
            // a real build, and a second one cancelled while it waits behind the first
            String id = TestServer.json(server.send("POST", "/builds", TestServer.ALICE, Requests.build(env, git,
                    IMAGE, "t" + Long.toString(System.currentTimeMillis(), 36) + kind, null))).path("id").asText();
            server.awaitStatus(id, TestServer.ALICE, "running", Duration.ofMinutes(1));
            String queued = TestServer.json(server.send("POST", "/builds?dry_run=true", TestServer.ALICE,
                    Requests.bare("tests/webhooks", "queued", "pw"))).path("id").asText();
            HttpResponse<String> cancel = server.send("DELETE", "/builds/" + queued, TestServer.ALICE, null);
            assertThat(TestServer.json(cancel).path("status").asText()).as(cancel.body()).isEqualTo("cancelled");
            JsonNode done = server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(5));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");

            List<Receiver.Request> got = receiver.await("/ok", 5, Duration.ofSeconds(30));
            List<String> built = events(got, id);
            assertThat(built).containsExactly("build.queued", "build.running", "build.succeeded");
            assertThat(events(got, queued)).containsExactly("build.queued", "build.cancelled");
            for (Receiver.Request r : got) {
                String signature = r.header("X-ImageBuilder-Signature-256");
                String timestamp = r.header("X-ImageBuilder-Timestamp");
                assertThat(signature).isEqualTo(sign(ALICE_SECRET, timestamp, r.body()));
                assertThat(signature).isNotEqualTo(sign(BOB_SECRET, timestamp, r.body()));
                assertThat(signature).as("the timestamp is signed too")
                        .isNotEqualTo(sign(ALICE_SECRET, Long.toString(Long.parseLong(timestamp) + 1), r.body()));
                assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp))).isLessThan(600);
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                JsonNode body = TestServer.JSON.readTree(r.body());
                assertThat(r.header("X-ImageBuilder-Event")).isEqualTo(body.path("event").asText());
                assertThat(r.header("X-ImageBuilder-Delivery")).matches("[0-9a-f-]{36}");
                assertThat(OffsetDateTime.parse(body.path("time").asText())).isNotNull();
                assertThat(body.path("kind").asText()).isEqualTo("build");
                assertThat(body.path("link").asText()).isEqualTo("/builds/" + body.path("id").asText());
            }
            JsonNode running = body(got, id, "build.running");
            assertThat(running.path("status").asText()).isEqualTo("running");
            assertThat(running.path("phase").asText()).isEqualTo("building");
            assertThat(running.path("error").isNull()).isTrue();
            JsonNode succeeded = body(got, id, "build.succeeded");
            assertThat(succeeded.path("phase").isNull()).isTrue();
            assertThat(succeeded.path("error").isNull()).isTrue();
            assertThat(succeeded.path("time").asText()).isEqualTo(done.path("finished_at").asText());
            JsonNode cancelled = body(got, queued, "build.cancelled");
            assertThat(cancelled.path("error").path("code").asText()).isEqualTo("cancelled");
            assertThat(cancelled.path("error").path("message").asText()).isEqualTo("cancelled before it started");

            OpenApiContract contract = new OpenApiContract(server, server.get("/openapi.yaml", null).body());
            JsonNode deliveries = TestServer.json(contract.check("GET", "/builds/" + id + "/deliveries",
                    TestServer.ALICE, null, Map.of(), 200)).path("deliveries");
            assertThat(deliveries).hasSize(3);
            for (int i = 0; i < 3; i++) {
                JsonNode d = deliveries.get(i);
                assertThat(d.path("event").asText()).isEqualTo(built.get(i));
                assertThat(d.path("status").asText()).isEqualTo("delivered");
                assertThat(d.path("attempts").asInt()).isEqualTo(1);
                assertThat(d.path("last_status").asInt()).isEqualTo(200);
                assertThat(d.path("url").asText()).isEqualTo(receiver.url("/ok"));
            }
            assertThat(server.get("/builds/" + id + "/deliveries", TestServer.BOB).statusCode()).isEqualTo(404);

            // bob's receiver fails twice, then takes each delivery; carol's refuses, which is not retried
            String bobs = submitDryRun(server, TestServer.BOB);
            String carols = submitDryRun(server, CAROL);
            server.awaitEnd(bobs, TestServer.BOB, Duration.ofMinutes(1));
            server.awaitEnd(carols, CAROL, Duration.ofMinutes(1));
            List<Receiver.Request> flaky = receiver.await("/flaky", 9, Duration.ofSeconds(30));
            assertThat(flaky.stream().map(r -> r.header("X-ImageBuilder-Delivery")).distinct()).hasSize(3);
            for (Receiver.Request r : flaky) {
                assertThat(r.header("X-ImageBuilder-Signature-256")).isEqualTo(sign(BOB_SECRET,
                        r.header("X-ImageBuilder-Timestamp"), r.body()));
            }
            JsonNode bobDeliveries = awaitSettled(server, "/builds/" + bobs + "/deliveries", TestServer.BOB, 3);
            for (JsonNode d : bobDeliveries) {
                assertThat(d.path("status").asText()).as(d.toString()).isEqualTo("delivered");
                assertThat(d.path("attempts").asInt()).isEqualTo(3);
                assertThat(d.path("last_status").asInt()).isEqualTo(200);
                assertThat(d.path("last_error").isNull()).isTrue();
            }
            receiver.await("/refusing", 3, Duration.ofSeconds(30));
            JsonNode carolDeliveries = awaitSettled(server, "/builds/" + carols + "/deliveries", CAROL, 3);
            Thread.sleep(1500); // several retry delays: a retry would have come by now
            assertThat(receiver.received("/refusing")).hasSize(3);
            for (JsonNode d : carolDeliveries) {
                assertThat(d.path("status").asText()).as(d.toString()).isEqualTo("failed");
                assertThat(d.path("attempts").asInt()).isEqualTo(1);
                assertThat(d.path("last_status").asInt()).isEqualTo(400);
                assertThat(d.path("last_error").asText()).isEqualTo("the receiver answered 400");
            }

            StringBuilder everything = new StringBuilder(Tables.dump(db));
            for (String[] job : new String[][] {{id, TestServer.ALICE}, {queued, TestServer.ALICE},
                    {bobs, TestServer.BOB}, {carols, CAROL}}) {
                for (String path : List.of("", "/log", "/deliveries")) {
                    everything.append(server.get("/builds/" + job[0] + path, job[1]).body());
                }
            }
            everything.append(server.get("/builds", TestServer.ALICE).body()).append(configured);
            receiver.received("/ok").forEach(r -> everything.append(r.headers()).append(r.text()));
            assertThat(everything.toString()).contains(id).doesNotContain(ALICE_SECRET).doesNotContain(BOB_SECRET)
                    .doesNotContain(CAROL_SECRET);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void deliveriesPendingWhenAServerStopsAreSentByTheNextOne(String kind) throws Exception {
        java.util.concurrent.atomic.AtomicInteger answer = new java.util.concurrent.atomic.AtomicInteger(503);
        try (Receiver receiver = new Receiver(Map.of("/ok", attempt -> answer.get(), "/flaky", attempt -> 500,
                "/refusing", attempt -> 400));
             TestDatabase db = TestDatabase.of(kind, tmp)) {
            ServerConfig first = config(db, receiver);
            String id;
            try (TestServer server = TestServer.start(first.withWebhooks(first.webhooks()
                    .withRetries(Duration.ofSeconds(3), 5)))) {
                id = submitDryRun(server, TestServer.ALICE);
                server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(1));
                receiver.await("/ok", 3, Duration.ofSeconds(30));
            }
            answer.set(200);
            ServerConfig next = new ServerConfig(first.host(), 0, first.dbUrl(), first.dbUser(), first.dbPassword(),
                    0, first.apiKeysFile(), first.stateDir(), first.secretKeyFile(), first.maxBodyBytes(),
                    first.lease(), first.buildHost(), true, List.of(), first.webhooks(), null);
            try (TestServer server = TestServer.start(next)) {
                JsonNode deliveries = awaitSettled(server, "/builds/" + id + "/deliveries", TestServer.ALICE, 3);
                for (JsonNode d : deliveries) {
                    assertThat(d.path("status").asText()).as(d.toString()).isEqualTo("delivered");
                    assertThat(d.path("attempts").asInt()).as(d.toString()).isEqualTo(2);
                }
                assertThat(events(receiver.received("/ok"), id)).containsExactly("build.queued", "build.running",
                        "build.succeeded", "build.queued", "build.running", "build.succeeded");
            }
        }
    }

    @Test
    void aSecretFileOthersCanReadIsRefusedBeforeAnythingStarts() throws Exception {
        Path secret = tmp.resolve("alice.secret");
        Files.writeString(secret, ALICE_SECRET);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Path hooks = tmp.resolve("webhooks");
        Files.writeString(hooks, "# owner url secret\nalice https://hooks.example.org/ib alice.secret\n");
        Path state = tmp.resolve("state");
        Cli run = Cli.run("serve", "--state-dir", state.toString(), "--port", "0", "--webhooks", hooks.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(hooks + ":2: ").contains("the secret file " + secret + " is open to group or "
                + "others (rw-r--r--)").doesNotContain(ALICE_SECRET);
        assertThat(state).as("nothing was started").doesNotExist();

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(hooks, "alice ftp://hooks.example.org/ib alice.secret\n");
        Cli ftp = Cli.run("serve", "--state-dir", state.toString(), "--port", "0", "--webhooks", hooks.toString());
        assertThat(ftp.exitCode()).as(ftp.toString()).isEqualTo(2);
        assertThat(ftp.err()).contains(hooks + ":1: \"ftp://hooks.example.org/ib\" is not an http or https URL");
        assertThat(state).doesNotExist();
    }

    private ServerConfig config(TestDatabase db, Receiver receiver) throws Exception {
        Files.writeString(tmp.resolve("api-keys"), ApiKeys.line("alice", TestServer.ALICE) + "\n"
                + ApiKeys.line("bob", TestServer.BOB) + "\n" + ApiKeys.line("carol", CAROL) + "\n");
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        StringBuilder lines = new StringBuilder();
        for (String[] hook : new String[][] {{"alice", "/ok", ALICE_SECRET}, {"bob", "/flaky", BOB_SECRET},
                {"carol", "/refusing", CAROL_SECRET}}) {
            Path file = secrets.resolve(hook[0]);
            Files.writeString(file, hook[2] + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            lines.append(hook[0]).append(' ').append(receiver.url(hook[1])).append(" secrets/").append(hook[0])
                    .append('\n');
        }
        Path hooks = tmp.resolve("webhooks");
        Files.writeString(hooks, lines);
        configured = TestServer.config(tmp, db, 1, Duration.ofSeconds(10)).withWebhooks(
                new WebhookSettings(WebhookFile.parse(hooks)).withRetries(Duration.ofMillis(100), 4));
        return configured;
    }

    private static String submitDryRun(TestServer server, String key) throws Exception {
        HttpResponse<String> r = server.send("POST", "/builds?dry_run=true", key, Requests.bare("tests/webhooks",
                "dry", "pw"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestServer.json(r).path("id").asText();
    }

    /** The events the receiver got for one job, in the order they arrived. */
    private static List<String> events(List<Receiver.Request> got, String id) throws Exception {
        List<String> out = new ArrayList<>();
        for (Receiver.Request r : got) {
            JsonNode body = TestServer.JSON.readTree(r.body());
            if (body.path("id").asText().equals(id)) out.add(body.path("event").asText());
        }
        return out;
    }

    private static JsonNode body(List<Receiver.Request> got, String id, String event) throws Exception {
        for (Receiver.Request r : got) {
            JsonNode body = TestServer.JSON.readTree(r.body());
            if (body.path("id").asText().equals(id) && body.path("event").asText().equals(event)) return body;
        }
        throw new AssertionError("no " + event + " for " + id);
    }

    /** Waits until the job has {@code count} deliveries and none is pending. */
    private static JsonNode awaitSettled(TestServer server, String path, String key, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode d = TestServer.json(server.get(path, key)).path("deliveries");
            boolean settled = d.size() == count;
            for (JsonNode one : d) settled &= !one.path("status").asText().equals("pending");
            if (settled) return d;
            assertThat(System.nanoTime()).as(path + ": " + d).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** What a receiver computes: HMAC-SHA256 of "TIMESTAMP.BODY" with the shared secret. */
    private static String sign(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
