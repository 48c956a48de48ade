package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.server.jobs.Workers;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server as real processes: killed with SIGKILL while one build runs and others wait, then started
 * again (nothing lost, nothing left running); and two servers sharing one PostgreSQL database, where no job runs
 * twice.
 */
class ServerProcessIT {

    private static final Pattern STARTED = Pattern.compile("^(?:dry run|build) \\S+ started by (server-[0-9a-f]+)/\\d+$",
            Pattern.MULTILINE);
    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aKilledServerLosesNoJobAndLeavesNoneRunning(String kind) throws Exception {
        // a fraction unique to this run, so no earlier build's cached layer skips the step
        String marker = "sleep 20." + String.format("%06d", System.nanoTime() % 1_000_000);
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN " + marker + "\n");
        try (TestDatabase db = TestDatabase.of(kind, tmp)) {
            String running;
            List<String> queued = new ArrayList<>();
            ServerProcess first = ServerProcess.start(tmp, tmp.resolve("state"), db, 1, 3);
            try {
                Client alice = new Client(first.port(), TestServer.ALICE);
                running = alice.submit("/builds", Requests.build(env, git, "tests/server-kill",
                        "k" + System.nanoTime(), null));
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (ServerBuildTest.processesWith(marker).isEmpty()) {
                    assertThat(System.nanoTime()).as("the RUN step started: " + alice.build(running)).isLessThan(deadline);
                    Thread.sleep(200);
                }
                for (int i = 0; i < 3; i++) {
                    queued.add(alice.submit("/builds?dry_run=true", Requests.bare("tests/server-kill", "q" + i, "pw")));
                }
                assertThat(alice.build(running).path("status").asText()).isEqualTo("running");
                for (String id : queued) assertThat(alice.build(id).path("status").asText()).isEqualTo("queued");
            } finally {
                first.kill();
            }

            try (ServerProcess second = ServerProcess.start(tmp, tmp.resolve("state"), db, 1, 3)) {
                Client alice = new Client(second.port(), TestServer.ALICE);
                JsonNode interrupted = awaitEnd(alice, running);
                assertThat(interrupted.path("status").asText()).as(interrupted.toString()).isEqualTo("failed");
                assertThat(interrupted.path("error").path("code").asText()).isEqualTo("interrupted");
                assertThat(interrupted.path("error").path("message").asText()).startsWith("interrupted: the server running this build "
                        + "stopped");
                for (String id : queued) {
                    JsonNode done = awaitEnd(alice, id);
                    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
                }
                assertThat(statusCounts(db)).isEqualTo(Map.of("failed", 1L, "succeeded", 3L));
                assertThat(tmp.resolve("state/jobs/" + running + "/request.json"))
                        .as("the killed server's request file, with its secrets, is removed at start").doesNotExist();
            }
        }
        // the orphaned docker client of the killed server ends with its RUN step; wait so no test leaves it behind
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ServerBuildTest.processesWith(marker).isEmpty() && System.nanoTime() < deadline) Thread.sleep(500);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aServerStoppedWithSigtermFailsItsRunningBuildAtOnceAndEndsItsLogStream(String kind) throws Exception {
        String marker = "sleep 30." + String.format("%06d", System.nanoTime() % 1_000_000);
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN " + marker + "\n");
        try (TestDatabase db = TestDatabase.of(kind, tmp)) {
            // a lease longer than the test: only the stopping server itself can fail the build
            ServerProcess server = ServerProcess.start(tmp, tmp.resolve("state"), db, 1, 600);
            String id;
            CompletableFuture<List<String>> followed;
            try {
                Client alice = new Client(server.port(), TestServer.ALICE);
                id = alice.submit("/builds", Requests.build(env, git, "tests/server-stop", "s" + System.nanoTime(),
                        null));
                followed = follow(server.port(), id);
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (ServerBuildTest.processesWith(marker).isEmpty()) {
                    assertThat(System.nanoTime()).as("the RUN step started: " + alice.build(id)).isLessThan(deadline);
                    Thread.sleep(200);
                }
                server.terminate();
            } finally {
                server.kill();
            }
            String last = "build failed: " + Workers.INTERRUPTED;
            List<String> lines = followed.get(1, TimeUnit.MINUTES);
            assertThat(lines).as(server.output()).isNotEmpty();
            assertThat(lines.get(lines.size() - 1)).as("the follower's last line").isEqualTo(last);
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                    "SELECT status, error, finished_at FROM builds WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).as(server.output()).isEqualTo("failed");
                    assertThat(r.getString(2)).isEqualTo(Workers.INTERRUPTED);
                    assertThat(r.getObject(3)).isNotNull();
                }
            }
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                    "SELECT line FROM build_log WHERE build_id = ? ORDER BY line_no DESC LIMIT 1")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo(last);
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ServerBuildTest.processesWith(marker).isEmpty() && System.nanoTime() < deadline) Thread.sleep(500);
    }

    @Test
    void aBuildWaitingForABuildSlotSaysSoAndMaxConcurrentBuildsGivesTheHostMoreSlots() throws Exception {
        try (TestDatabase db = TestDatabase.h2(tmp)) {
            // the default: one build at a time on the server's one host; the second waits for the first
            List<String> phases;
            try (ServerProcess one = ServerProcess.start(tmp, tmp.resolve("one"), db, 2, 30)) {
                Client alice = new Client(one.port(), TestServer.ALICE);
                String marker = "sleep 12." + String.format("%06d", System.nanoTime() % 1_000_000);
                String first = alice.submit("/builds", Requests.build(env, Requests.gitRepo(tmp.resolve("repo-first"),
                        "FROM " + env.baseImage() + "\nRUN " + marker + "\n"), "tests/server-slots", "first", null));
                long started = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (ServerBuildTest.processesWith(marker).isEmpty()) {
                    assertThat(System.nanoTime()).as("the first RUN step started: " + alice.build(first))
                            .isLessThan(started);
                    Thread.sleep(200);
                }
                String second = alice.submit("/builds", sleeping("second", 1));
                phases = phasesUntilEnd(alice, second);
                assertThat(awaitEnd(alice, first).path("status").asText()).isEqualTo("succeeded");
                JsonNode done = awaitEnd(alice, second);
                assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(done.path("phase").isNull()).as("no phase once ended").isTrue();
            }
            assertThat(phases).as("the phases of the second build while it ran").containsSubsequence("building",
                    "waiting-for-slot", "building");

            // two slots: both builds run their RUN steps at the same time, and neither waits
            try (ServerProcess two = ServerProcess.start(tmp, tmp.resolve("two"), db, 2, 30,
                    List.of("--max-concurrent-builds", "2"))) {
                Client alice = new Client(two.port(), TestServer.ALICE);
                String a = "sleep 20." + String.format("%06d", System.nanoTime() % 1_000_000);
                String b = "sleep 20." + String.format("%06d", (System.nanoTime() + 1) % 1_000_000);
                String first = alice.submit("/builds", Requests.build(env, Requests.gitRepo(tmp.resolve("repo-a"),
                        "FROM " + env.baseImage() + "\nRUN " + a + "\n"), "tests/server-slots", "a", null));
                String second = alice.submit("/builds", Requests.build(env, Requests.gitRepo(tmp.resolve("repo-b"),
                        "FROM " + env.baseImage() + "\nRUN " + b + "\n"), "tests/server-slots", "b", null));
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (ServerBuildTest.processesWith(a).isEmpty() || ServerBuildTest.processesWith(b).isEmpty()) {
                    assertThat(System.nanoTime()).as("both RUN steps run at once: " + alice.build(first) + " "
                            + alice.build(second)).isLessThan(deadline);
                    assertThat(alice.build(second).path("phase").asText()).isNotEqualTo("waiting-for-slot");
                    Thread.sleep(200);
                }
                for (String id : List.of(first, second)) {
                    JsonNode done = awaitEnd(alice, id);
                    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
                }
            }
        }
    }

    /** A build whose RUN step sleeps {@code seconds}, unique to this run so no cached layer skips it. */
    private String sleeping(String name, int seconds) throws Exception {
        String marker = "sleep " + seconds + "." + String.format("%06d", System.nanoTime() % 1_000_000);
        return Requests.build(env, Requests.gitRepo(tmp.resolve("repo-" + name), "FROM " + env.baseImage()
                + "\nRUN " + marker + "\n"), "tests/server-slots", name, null);
    }

    /** The phases a build went through while it ran, each change once, polled every 50 ms. */
    private static List<String> phasesUntilEnd(Client c, String id) throws Exception {
        List<String> phases = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            JsonNode b = c.build(id);
            String status = b.path("status").asText();
            if (status.equals("running")) {
                String phase = b.path("phase").asText();
                if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) phases.add(phase);
            } else if (!status.equals("queued")) {
                return phases;
            }
            assertThat(System.nanoTime()).as("build " + id + " ends: " + b).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Follows a build's log from the start; the lines the stream held when it ended. */
    private static CompletableFuture<List<String>> follow(int port, String id) throws Exception {
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/builds/" + id + "/log?follow=true"))
                .header("X-API-Key", TestServer.ALICE).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return CompletableFuture.supplyAsync(() -> {
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) lines.add(line);
            } catch (java.io.IOException e) {
                lines.add("(stream broken: " + e.getMessage() + ")");
            }
            return lines;
        });
    }

    @Test
    void twoServersShareOnePostgresDatabaseAndRunEveryJobOnce() throws Exception {
        try (TestDatabase db = TestDatabase.postgres();
             ServerProcess a = ServerProcess.start(tmp, tmp.resolve("a"), db, 3, 10);
             ServerProcess b = ServerProcess.start(tmp, tmp.resolve("b"), db, 3, 10)) {
            List<Client> clients = List.of(new Client(a.port(), TestServer.ALICE), new Client(b.port(), TestServer.ALICE));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                Client c = clients.get(i % 2);
                String body = Requests.bare("tests/shared", "s" + i, "pw");
                submitted.add(pool.submit(() -> c.submit("/builds?dry_run=true", body)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : submitted) ids.add(f.get());
            pool.shutdown();
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                Client c = clients.get((i + 1) % 2); // read through the other server
                JsonNode done = awaitEnd(c, ids.get(i));
                assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
                String log = c.get("/builds/" + ids.get(i) + "/log").body();
                Matcher m = STARTED.matcher(log);
                assertThat(m.find()).as(log).isTrue();
                servers.add(m.group(1));
                assertThat(m.find()).as("started once: " + log).isFalse();
            }
            assertThat(servers).as("both servers took jobs").hasSize(2);
            assertThat(statusCounts(db)).isEqualTo(Map.of("succeeded", 80L));
        }
    }

    private static JsonNode awaitEnd(Client c, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            JsonNode b = c.build(id);
            String s = b.path("status").asText();
            if (s.equals("succeeded") || s.equals("failed") || s.equals("cancelled")) return b;
            assertThat(System.nanoTime()).as("build " + id + " ends: " + b).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static Map<String, Long> statusCounts(TestDatabase db) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT status, COUNT(*) FROM builds GROUP BY status")) {
            while (r.next()) out.put(r.getString(1), r.getLong(2));
        }
        return out;
    }
}
