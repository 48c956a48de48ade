package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.server.hooks.WebhookFile;
import io.imagebuilder.server.hooks.WebhookSettings;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Removal of ended jobs, on H2 and PostgreSQL: DELETE of an ended real build takes its record, work directory and
 * the tag it left on the loopback engine; retention takes old ended jobs with their logs and deliveries, and keeps
 * recent and unfinished ones.
 */
class RetentionTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String IMAGE = "tests/retention";
    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void deletingAnEndedBuildRemovesItsRecordWorkDirectoryAndHostTags(String kind) throws Exception {
        String tag = RUN + "-" + kind;
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN echo kept > /f\n");
        try (TestDatabase db = TestDatabase.of(kind, tmp); TestServer server = TestServer.start(tmp, db, 1,
                Duration.ofSeconds(10))) {
            String id = submit(server, Requests.build(env, git, IMAGE, tag, null));
            JsonNode done = server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(5));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            String reference = env.registry() + "/" + IMAGE + ":" + tag;
            int host = done.path("images").get(0).path("host").asText().equals(env.dockerHost(1)) ? 1 : 2;
            assertThat(onEngine(host, reference)).as("the build left its tag on the build host").isTrue();

            // a failed build keeps its work directory until it is removed
            String failing = submit(server, Requests.build(env, git, IMAGE, tag + "-refused", null)
                    .replace("\"registry_password\": \"" + env.registryPassword() + "\"",
                            "\"registry_password\": \"not-the-password\""));
            assertThat(server.awaitEnd(failing, TestServer.ALICE, Duration.ofMinutes(3)).path("status").asText())
                    .isEqualTo("failed");
            Path workDir = tmp.resolve("state/jobs/" + failing);
            assertThat(workDir).isDirectory();

            HttpResponse<String> removed = server.send("DELETE", "/builds/" + id, TestServer.ALICE, null);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
            assertThat(server.get("/builds/" + id, TestServer.ALICE).statusCode()).isEqualTo(404);
            assertThat(server.get("/builds/" + id + "/log", TestServer.ALICE).statusCode()).isEqualTo(404);
            assertThat(onEngine(host, reference)).as("its tag is gone from the build host").isFalse();
            assertThat(rows(db, "SELECT COUNT(*) FROM build_log WHERE build_id = ?", id)).isZero();

            assertThat(server.send("DELETE", "/builds/" + failing, TestServer.BOB, null).statusCode())
                    .as("only its owner removes it").isEqualTo(404);
            assertThat(server.send("DELETE", "/builds/" + failing, TestServer.ALICE, null).statusCode())
                    .isEqualTo(204);
            assertThat(workDir).doesNotExist();
            assertThat(server.send("DELETE", "/builds/" + failing, TestServer.ALICE, null).statusCode())
                    .isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void retentionRemovesJobsThatEndedLongAgoAndKeepsTheOthers(String kind) throws Exception {
        Path hooks = webhooks();
        try (TestDatabase db = TestDatabase.of(kind, tmp); Receiver receiver = new Receiver(Map.of("/", a -> 204))) {
            Files.writeString(hooks, "alice " + receiver.url("/") + " alice.secret\n");
            ServerConfig base = TestServer.config(tmp, db, 1, Duration.ofSeconds(10))
                    .withWebhooks(new WebhookSettings(WebhookFile.parse(hooks)));
            String old;
            String recent;
            try (TestServer server = TestServer.start(base)) {
                old = submit(server, "dry_run=true", Requests.bare(IMAGE, "old", "pw"));
                recent = submit(server, "dry_run=true", Requests.bare(IMAGE, "recent", "pw"));
                server.awaitEnd(old, TestServer.ALICE, Duration.ofMinutes(1));
                server.awaitEnd(recent, TestServer.ALICE, Duration.ofMinutes(1));
                receiver.await("/", 6, Duration.ofSeconds(30));
            }
            assertThat(rows(db, "SELECT COUNT(*) FROM build_log WHERE build_id = ?", old)).isPositive();
            assertThat(rows(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE job_id = ?", old)).isEqualTo(3);
            Path oldDir = Files.createDirectories(tmp.resolve("state/jobs/" + old + "/state"));
            setBack(db, "finished_at", old, Duration.ofDays(4));
            setBack(db, "finished_at", recent, Duration.ofDays(2));

            // no workers: a queued job stays queued, however old
            ServerConfig retaining = new ServerConfig(base.host(), 0, base.dbUrl(), base.dbUser(), base.dbPassword(),
                    0, base.apiKeysFile(), base.stateDir(), base.secretKeyFile(), base.maxBodyBytes(), base.lease(),
                    base.buildHost(), true, List.of(), base.webhooks(),
                    new ServerConfig.Retention(3, Duration.ofMillis(200)));
            try (TestServer server = TestServer.start(retaining)) {
                String queued = submit(server, "dry_run=true", Requests.bare(IMAGE, "queued", "pw"));
                setBack(db, "created_at", queued, Duration.ofDays(30));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (server.get("/builds/" + old, TestServer.ALICE).statusCode() != 404) {
                    assertThat(System.nanoTime()).as("the old build is removed").isLessThan(deadline);
                    Thread.sleep(100);
                }
                Thread.sleep(600); // more turns of retention
                assertThat(TestServer.json(server.get("/builds/" + recent, TestServer.ALICE)).path("status").asText())
                        .isEqualTo("succeeded");
                assertThat(TestServer.json(server.get("/builds/" + queued, TestServer.ALICE)).path("status").asText())
                        .isEqualTo("queued");
                assertThat(oldDir.getParent()).doesNotExist();
                assertThat(rows(db, "SELECT COUNT(*) FROM build_log WHERE build_id = ?", old)).isZero();
                assertThat(rows(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE job_id = ?", old)).isZero();
                assertThat(rows(db, "SELECT COUNT(*) FROM build_log WHERE build_id = ?", recent)).isPositive();
                assertThat(rows(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE job_id = ?", recent)).isEqualTo(3);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aRetentionOfLessThanADayIsRefusedBeforeAnythingStarts() {
        Path state = tmp.resolve("state");
        io.imagebuilder.testenv.Cli run = io.imagebuilder.testenv.Cli.run("serve", "--state-dir", state.toString(),
                "--port", "0", "--retain-days", "0");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--retain-days must be 1 or more");
        assertThat(state).as("nothing was started").doesNotExist();
    }

    private Path webhooks() throws Exception {
        Path secret = tmp.resolve("alice.secret");
        Files.writeString(secret, "retention-test-secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        return tmp.resolve("webhooks");
    }

    private static String submit(TestServer server, String body) throws Exception {
        return submit(server, null, body);
    }

    private static String submit(TestServer server, String query, String body) throws Exception {
        HttpResponse<String> r = server.send("POST", "/builds" + (query == null ? "" : "?" + query),
                TestServer.ALICE, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestServer.json(r).path("id").asText();
    }

    private static void setBack(TestDatabase db, String column, String id, Duration by) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("UPDATE builds SET " + column
                + " = ? WHERE id = ?")) {
            s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minus(by));
            s.setString(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static long rows(TestDatabase db, String sql, String id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Whether the loopback engine holds the image, asked with the docker CLI through its local socket. */
    private static boolean onEngine(int host, String reference) throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("DOCKER_HOST", env.dockerSocket(host));
        List<String> out = new ArrayList<>();
        var r = ProcessRunner.run(ProcessRunner.command(env.dockerClient(), List.of("image", "inspect", "--format",
                "{{.Id}}", reference)), environment, null, null, out::add, out::add, Duration.ofMinutes(1), null);
        if (!r.succeeded() && out.stream().noneMatch(l -> l.contains("No such image"))) {
            throw new IllegalStateException("docker image inspect " + reference + ": " + out);
        }
        return r.succeeded();
    }
}
