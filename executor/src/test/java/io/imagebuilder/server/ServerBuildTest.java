package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real builds through the API, on the loopback engine over SSH and the authenticated registry: images pushed with
 * the digests the registry reports, the log followed while it is written, a running build cancelled with its
 * docker processes stopped.
 */
class ServerBuildTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String IMAGE = "tests/server-build";
    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aBuildIsPushedAndItsLogFollowedToTheEnd(String kind) throws Exception {
        String single = RUN + "-" + kind;
        String multi = RUN + "-" + kind + "-multi";
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN uname -m > /arch\n");
        try (TestDatabase db = TestDatabase.of(kind, tmp); TestServer server = TestServer.start(tmp, db, 2,
                Duration.ofSeconds(10))) {
            String body = Requests.build(env, git, IMAGE, single, null);
            HttpResponse<String> r = server.send("POST", "/builds", TestServer.ALICE, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            String id = TestServer.json(r).path("id").asText();

            // following from the start: the stream ends by itself once the build has ended
            HttpResponse<java.io.InputStream> follow = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            server.uri("/builds/" + id + "/log?follow=true")).header("X-API-Key", TestServer.ALICE).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(follow.statusCode()).isEqualTo(200);
            List<String> lines = new ArrayList<>();
            List<String> statusWhileStreaming = new ArrayList<>();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (lines.isEmpty()) {
                            statusWhileStreaming.add(TestServer.json(server.get("/builds/" + id, TestServer.ALICE))
                                    .path("status").asText());
                        }
                        lines.add(line);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            reading.get(5, TimeUnit.MINUTES);
            JsonNode done = server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(5));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(statusWhileStreaming).as("the first line arrived while the build ran").containsOnly("running");
            assertThat(lines.get(0)).isEqualTo("build " + id + " started by " + lines.get(0).substring(lines.get(0)
                    .indexOf("server-")));
            assertThat(lines).anyMatch(l -> l.contains("[" + IMAGE + ":" + single + "]"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo("build succeeded");
            assertThat(String.join("\n", lines)).doesNotContain(env.registryPassword());

            String reference = env.registry() + "/" + IMAGE + ":" + single;
            JsonNode image = done.path("images").get(0);
            assertThat(image.path("reference").asText()).isEqualTo(reference);
            assertThat(image.path("platform").asText()).isEqualTo("linux/amd64");
            assertThat(image.path("digest").asText()).isEqualTo(registryDigest(IMAGE, single));
            assertThat(done.path("build_host")).containsExactly(new com.fasterxml.jackson.databind.node.TextNode(
                    env.dockerHost(1)), new com.fasterxml.jackson.databind.node.TextNode(env.dockerHost(2)));

            // submitted once the first build is over, so that both hosts have a free build slot
            String multiId = TestServer.json(server.send("POST", "/builds", TestServer.ALICE,
                    Requests.build(env, git, IMAGE, multi, "[\"linux/amd64\", \"linux/arm64\"]"))).path("id").asText();
            JsonNode both = server.awaitEnd(multiId, TestServer.ALICE, Duration.ofMinutes(5));
            assertThat(both.path("status").asText()).as(both.toString()).isEqualTo("succeeded");
            List<String> platforms = new ArrayList<>();
            both.path("images").forEach(i -> platforms.add(i.path("platform").asText()));
            assertThat(platforms).containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
            // the server has two build hosts: the two platforms are built at the same time, one on each
            List<String> hosts = new ArrayList<>();
            both.path("images").forEach(i -> hosts.add(i.path("host").asText()));
            assertThat(hosts).containsExactlyInAnyOrder(env.dockerHost(1), env.dockerHost(2));
            String list = registryDigest(IMAGE, multi);
            both.path("images").forEach(i -> assertThat(i.path("manifest_list").asText()).isEqualTo(list));
            assertThat(Tables.dump(db)).doesNotContain(env.registryPassword());
            assertThat(tmp.resolve("state/jobs/" + id)).as("a succeeded build's work directory is removed")
                    .doesNotExist();
        }
    }

    @org.junit.jupiter.api.Test
    void aBundledBlueprintIsDeployedWithItsOutputs() throws Exception {
        String tag = RUN + "-deployment";
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN uname -m > /arch\n");
        try (TestDatabase db = TestDatabase.postgres(); TestServer server = TestServer.start(tmp, db, 1,
                Duration.ofSeconds(10))) {
            String body = "{\"blueprint\": \"docker_image_definition\", \"inputs\": "
                    + Requests.build(env, git, IMAGE, tag, null) + "}";
            HttpResponse<String> r = server.send("POST", "/deployments", TestServer.ALICE, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            String id = TestServer.json(r).path("id").asText();
            JsonNode done = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (done == null || !done.path("finished_at").isTextual()) {
                assertThat(System.nanoTime()).as("the deployment ends").isLessThan(deadline);
                Thread.sleep(200);
                done = TestServer.json(server.get("/deployments/" + id, TestServer.ALICE));
            }
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("blueprint").asText()).isEqualTo("docker_image_definition");
            assertThat(done.path("deployment_status").asText()).isEqualTo("deployed");
            assertThat(done.path("outputs").path("build_host").asText()).isEqualTo(env.dockerHost(1));
            JsonNode image = done.path("outputs").path("images").get(0);
            assertThat(image.path("reference").asText()).isEqualTo(env.registry() + "/" + IMAGE + ":" + tag);
            assertThat(image.path("digest").asText()).isEqualTo(registryDigest(IMAGE, tag));
            String log = server.get("/deployments/" + id + "/log", TestServer.ALICE).body();
            assertThat(log).startsWith("deployment " + id + " started by ").endsWith("deployment succeeded\n")
                    .doesNotContain(env.registryPassword());
            assertThat(Tables.dump(db)).doesNotContain(env.registryPassword());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql"})
    void aRunningBuildIsCancelledAndItsDockerProcessesStopped(String kind) throws Exception {
        String tag = RUN + "-cancel";
        String marker = "sleep 400." + String.format("%06d", System.nanoTime() % 1_000_000);
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN " + marker + "\n");
        try (TestDatabase db = TestDatabase.of(kind, tmp); TestServer server = TestServer.start(tmp, db, 1,
                Duration.ofSeconds(10))) {
            String id = TestServer.json(server.send("POST", "/builds", TestServer.ALICE,
                    Requests.build(env, git, IMAGE, tag, null))).path("id").asText();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (processesWith(marker).isEmpty()) {
                String state = server.get("/builds/" + id, TestServer.ALICE).body();
                assertThat(System.nanoTime()).as("the RUN step started: " + state + "\n"
                        + server.get("/builds/" + id + "/log", TestServer.ALICE).body()).isLessThan(deadline);
                // a worker may not have claimed it yet; it must not have ended before its RUN step
                assertThat(state).containsAnyOf("\"status\":\"queued\"", "\"status\":\"running\"");
                Thread.sleep(200);
            }
            HttpResponse<String> cancel = server.send("DELETE", "/builds/" + id, TestServer.ALICE, null);
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            JsonNode after = TestServer.json(cancel);
            assertThat(after.path("status").asText()).isEqualTo("cancelled");
            assertThat(after.path("error").path("message").asText()).isEqualTo("cancelled while running");
            assertThat(after.path("error").path("code").asText()).isEqualTo("cancelled");
            long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!processesWith(marker).isEmpty() && System.nanoTime() < gone) Thread.sleep(200);
            assertThat(processesWith(marker)).as("the RUN step's process is stopped").isEmpty();
            assertThat(registryStatus(IMAGE, tag)).as("nothing was pushed").isEqualTo(404);
            assertThat(server.get("/builds/" + id + "/log", TestServer.ALICE).body()).endsWith("build cancelled: "
                    + "cancelled while running\n");
            assertThat(server.send("DELETE", "/builds/" + id, TestServer.ALICE, null).statusCode())
                    .as("an ended build is removed").isEqualTo(204);
            assertThat(server.get("/builds/" + id, TestServer.ALICE).statusCode()).isEqualTo(404);
        }
    }

    @org.junit.jupiter.api.Test
    void aBuildTheRegistryRefusesFailsWithItsCode() throws Exception {
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\n");
        try (TestDatabase db = TestDatabase.of("h2", tmp); TestServer server = TestServer.start(tmp, db, 1,
                Duration.ofSeconds(10))) {
            String body = Requests.build(env, git, IMAGE, RUN + "-refused", null).replace("\"registry_password\": \""
                    + env.registryPassword() + "\"", "\"registry_password\": \"not-the-password\"");
            String id = TestServer.json(server.send("POST", "/builds", TestServer.ALICE, body)).path("id").asText();
            JsonNode done = server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(3));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
            assertThat(done.path("error").path("code").asText()).as(done.toString()).isEqualTo("registry_refused");
            assertThat(done.path("error").path("message").asText()).isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void aBuildOutlastingTheServersTimeLimitFails() throws Exception {
        String tag = RUN + "-timeout";
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN sleep 240\n");
        try (TestDatabase db = TestDatabase.of("h2", tmp)) {
            ServerConfig c = TestServer.config(tmp, db, 1, Duration.ofSeconds(10));
            ServerConfig.BuildHost h = c.buildHost();
            ServerConfig limited = new ServerConfig(c.host(), 0, c.dbUrl(), c.dbUser(), c.dbPassword(), 1,
                    c.apiKeysFile(), c.stateDir(), c.secretKeyFile(), c.maxBodyBytes(), c.lease(),
                    new ServerConfig.BuildHost(h.dockerHosts(), h.sshKey(), h.knownHosts(), h.dockerClient(),
                            h.network(), h.platforms(), h.gitSshKey(), h.gitKnownHosts(), Duration.ofSeconds(4)),
                    c.allowLocalSources());
            try (TestServer server = TestServer.start(limited)) {
                String id = TestServer.json(server.send("POST", "/builds", TestServer.ALICE,
                        Requests.build(env, git, IMAGE, tag, null))).path("id").asText();
                JsonNode done = server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(3));
                assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
                assertThat(done.path("error").path("message").asText()).contains("timed out after 4 s");
                assertThat(done.path("error").path("code").asText()).isEqualTo("timed_out");
                assertThat(registryStatus(IMAGE, tag)).as("nothing was pushed").isEqualTo(404);
            }
        }
    }

    /**
     * Processes on this machine (the loopback engine's containers included) whose command line contains
     * {@code text}, read from /proc: ProcessHandle names a busybox applet by its executable, not as it was called.
     */
    static List<Long> processesWith(String text) {
        List<Long> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    if (cmdline.contains(text)) out.add(Long.parseLong(d.getFileName().toString()));
                } catch (java.io.IOException e) {
                    // the process ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String registryDigest(String repository, String tag) throws Exception {
        HttpResponse<String> r = manifest(repository, tag);
        assertThat(r.statusCode()).as(repository + ":" + tag).isEqualTo(200);
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static int registryStatus(String repository, String tag) throws Exception {
        return manifest(repository, tag).statusCode();
    }

    private static HttpResponse<String> manifest(String repository, String tag) throws Exception {
        String basic = Base64.getEncoder().encodeToString((env.registryUser() + ":" + env.registryPassword())
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + env.registry() + "/v2/"
                        + repository + "/manifests/" + tag)).header("Authorization", "Basic " + basic)
                .header("Accept", "application/vnd.docker.distribution.manifest.list.v2+json, "
                        + "application/vnd.docker.distribution.manifest.v2+json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
