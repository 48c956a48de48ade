package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.testenv.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One server checks every submission against the bundled blueprint it read once, and a dry run's worker records
 * the plan its check made: each submission must still get its own plan, and an invalid one its own problems at
 * their places, whatever the server checked before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckedSubmissionsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;
    private TestDatabase db;
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("ib-checked-test-");
        db = TestDatabase.h2(dir);
        server = TestServer.start(dir, db, 2, Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (db != null) db.close();
        io.imagebuilder.util.Trees.delete(dir);
    }

    @Test
    void concurrentDryRunsGetTheirOwnPlansAndLogs() throws Exception {
        record Sent(String id, String image, String tag, String platform) {
        }
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Sent>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                String image = "tests/checked-" + i;
                String tag = "v" + i;
                String platform = i % 2 == 0 ? "linux/amd64" : "linux/arm64";
                String body = Requests.bare(image, tag, "pw-" + i).replace("\"tag\": \"" + tag + "\"",
                        "\"tag\": \"" + tag + "\", \"platforms\": [\"" + platform + "\"]");
                futures.add(clients.submit(() -> {
                    HttpResponse<String> r = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, body);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                    return new Sent(TestServer.json(r).path("id").asText(), image, tag, platform);
                }));
            }
            for (Future<Sent> f : futures) {
                Sent sent = f.get();
                JsonNode done = server.awaitEnd(sent.id(), TestServer.ALICE, WAIT);
                assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(done.path("images")).hasSize(1);
                JsonNode image = done.path("images").get(0);
                assertThat(image.path("reference").asText()).isEqualTo("127.0.0.1:5000/" + sent.image() + ":"
                        + sent.tag());
                assertThat(image.path("platforms").toString()).isEqualTo("[\"" + sent.platform() + "\"]");
                JsonNode log = TestServer.json(server.exchange("GET", "/builds/" + sent.id() + "/log",
                        TestServer.ALICE, Map.of("Accept", "application/json"))).path("lines");
                assertThat(log.size()).as(log.toString()).isEqualTo(2);
                assertThat(log.get(0).path("line").asInt()).isEqualTo(1);
                assertThat(log.get(0).path("text").asText()).startsWith("dry run " + sent.id() + " started by ");
                assertThat(log.get(1).path("line").asInt()).isEqualTo(2);
                assertThat(log.get(1).path("text").asText()).isEqualTo("build succeeded");
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anInvalidSubmissionBetweenValidOnesGetsItsOwnProblemsAtTheirPlaces() throws Exception {
        String before = Requests.bare("tests/checked", "before", "pw");
        String invalid = Requests.bare("tests/checked", "no good!", "pw")
                .replace("\"url\": \"127.0.0.1:5000\"", "\"url\": \"127.0.0.1:5000\", \"colour\": 1");
        String after = Requests.bare("tests/checked", "after", "pw");
        String first = accepted(before);

        HttpResponse<String> r = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, invalid);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode errors = TestServer.json(r).path("errors");
        List<String> paths = new ArrayList<>();
        errors.forEach(e -> paths.add(e.path("path").asText()));
        assertThat(paths).containsExactlyInAnyOrder("build_params.target.images[0].tag",
                "build_params.target.registry.colour");
        for (JsonNode e : errors) {
            assertThat(e.path("line").asInt()).as(e.toString()).isPositive();
            assertThat(e.path("column").asInt()).as(e.toString()).isPositive();
        }
        // the command line, which reads the blueprint afresh, finds the same problems
        Path file = dir.resolve("invalid.json");
        Files.writeString(file, invalid);
        Cli cli = Cli.run("build", "--dry-run", file.toString());
        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        errors.forEach(e -> assertThat(cli.err()).contains(e.path("message").asText()));

        String second = accepted(after);
        assertThat(reference(first)).isEqualTo("127.0.0.1:5000/tests/checked:before");
        assertThat(reference(second)).isEqualTo("127.0.0.1:5000/tests/checked:after");
    }

    private String accepted(String body) throws Exception {
        HttpResponse<String> r = server.send("POST", "/builds?dry_run=true", TestServer.ALICE, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestServer.json(r).path("id").asText();
    }

    private String reference(String id) throws Exception {
        JsonNode done = server.awaitEnd(id, TestServer.ALICE, WAIT);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        return done.path("images").get(0).path("reference").asText();
    }
}
