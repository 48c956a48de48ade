package io.imagebuilder.server;

import io.imagebuilder.testenv.LeftBehind;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as its own process, killed with SIGKILL while a build pushes: no shutdown hook runs, yet the
 * registry password is in no file of its state directory, its database or the temporary directories, before or
 * after the kill, and the processes the build started (the docker client, and the SSH connection's session when the
 * build made the connection) end with the server. A connection kept for later runs stays, as it is meant to.
 */
class KilledServerIT {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void aServerKilledWhileABuildPushesLeavesNoCredentialsAndNoProcessesBehind() throws Exception {
        String tag = "k" + UUID.randomUUID().toString().substring(0, 8);
        // a layer of 200 MB that does not compress: the push takes a while; the echo keeps the layer out of caches
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN echo " + tag
                + " && head -c 200000000 /dev/urandom > /big\n");
        Path state = tmp.resolve("state");
        Instant started = Instant.now().minusSeconds(1);
        try (TestDatabase db = TestDatabase.h2(tmp)) {
            ServerProcess server = ServerProcess.start(tmp, state, db, 1, 30);
            List<ProcessHandle> children;
            try {
                Client alice = new Client(server.port(), TestServer.ALICE);
                String id = alice.submit("/builds", Requests.build(env, git, "tests/killed-server", tag, null));
                Path log = tmp.resolve("build.log");
                LeftBehind.waitFor(() -> {
                    Files.writeString(log, alice.get("/builds/" + id + "/log").body());
                    assertThat(alice.build(id).path("status").asText()).as("the build runs").isIn("queued", "running");
                    return pushing(server);
                }, "the push to start", log);
                children = server.handle().descendants().toList();
                assertThat(children).extracting(h -> h.info().command().orElse(""))
                        .as("the docker client runs (over an SSH connection made now, or kept from an earlier run)")
                        .anyMatch(c -> c.endsWith("docker"));
                assertThat(LeftBehind.filesHoldingThePassword(env, state, started)).as("while the build pushes")
                        .isEmpty();
            } finally {
                server.kill();
            }
            Path output = tmp.resolve("server-output.log");
            Files.writeString(output, server.output());
            LeftBehind.waitFor(() -> children.stream().noneMatch(ProcessHandle::isAlive),
                    "the server's processes to end", output);
            assertThat(registryStatus(tag)).as("the push did not finish").isEqualTo(404);
            assertThat(LeftBehind.filesHoldingThePassword(env, state, started)).as("after the kill").isEmpty();
            Path database = tmp.resolve("db/test.mv.db");
            assertThat(database).as("the H2 database file").exists();
            assertThat(LeftBehind.holds(database, env.registryPassword())).as("the database holds the password")
                    .isFalse();
            assertThat(server.output()).doesNotContain(env.registryPassword());
        }
    }

    /** Whether a docker client the server started is pushing an image. */
    private static boolean pushing(ServerProcess server) {
        return server.handle().descendants().anyMatch(h -> h.info().arguments().map(List::of)
                .map(a -> a.contains("push")).orElse(false));
    }

    private static int registryStatus(String tag) throws Exception {
        String basic = Base64.getEncoder().encodeToString((env.registryUser() + ":" + env.registryPassword())
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + env.registry()
                        + "/v2/tests/killed-server/manifests/" + tag)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + basic).header("Accept", "application/vnd.docker.distribution."
                        + "manifest.v2+json, application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
