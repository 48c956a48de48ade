package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
                assertThat(interrupted.path("error").asText()).startsWith("interrupted: the server running this build "
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
