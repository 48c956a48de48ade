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
import java.util.Map;
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

    /**
     * Deployed, then undeployed with DELETE as the undeploy command does: the image tags the build left on the
     * build hosts (its host_tags, removed by the image's delete operation) are gone, the pushed image stays in the
     * registry, and the log goes on with the undeployment's lines.
     */
    @org.junit.jupiter.api.Test
    void aBundledBlueprintIsDeployedWithItsOutputsAndUndeployed() throws Exception {
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

            Map<String, List<String>> hostTags = hostTags(db, id);
            assertThat(hostTags).as("the build left its image on a build host").isNotEmpty();
            hostTags.forEach((host, tags) -> tags.forEach(t -> assertThat(onEngine(host, t)).as(t).isTrue()));
            int deployLines = TestServer.json(server.exchange("GET", "/deployments/" + id + "/log", TestServer.ALICE,
                    Map.of("Accept", "application/json"))).path("last_line").asInt();

            // every answer below is also checked against the OpenAPI document
            OpenApiContract contract = new OpenApiContract(server, server.get("/openapi.yaml", null).body());
            HttpResponse<String> undeploy = contract.check("DELETE", "/deployments/" + id, TestServer.ALICE, null,
                    Map.of(), 202);
            assertThat(TestServer.json(undeploy).path("status").asText()).isEqualTo("undeploying");
            assertThat(TestServer.json(undeploy).path("error").isNull()).isTrue();
            HttpResponse<String> again = server.send("DELETE", "/deployments/" + id, TestServer.ALICE, null);
            assertThat(again.statusCode()).as("a second DELETE while it is undeployed: " + again.body())
                    .isEqualTo(409);
            awaitDeployment(server, id, "undeploying");
            JsonNode undeployed = TestServer.json(contract.check("GET", "/deployments/" + id, TestServer.ALICE, null,
                    Map.of(), 200));
            assertThat(undeployed.path("status").asText()).as(undeployed.toString()).isEqualTo("undeployed");
            assertThat(undeployed.path("deployment_status").asText()).isEqualTo("undeployed");
            assertThat(undeployed.path("error").isNull()).isTrue();
            hostTags.forEach((host, tags) -> tags.forEach(t -> assertThat(onEngine(host, t))
                    .as("undeploy removed " + t + " from " + host).isFalse()));
            assertThat(registryDigest(IMAGE, tag)).as("the pushed image stays").isEqualTo(image.path("digest")
                    .asText());

            JsonNode lines = TestServer.json(contract.check("GET", "/deployments/" + id + "/log?after=" + deployLines,
                    TestServer.ALICE, null, Map.of("Accept", "application/json"), 200));
            assertThat(lines.path("status").asText()).isEqualTo("undeployed");
            assertThat(lines.path("lines").get(0).path("line").asInt()).as("numbered on").isEqualTo(deployLines + 1);
            assertThat(lines.path("lines").get(0).path("text").asText()).startsWith("undeployment of deployment "
                    + id + " started by server-");
            assertThat(lines.path("lines").get(lines.path("lines").size() - 1).path("text").asText())
                    .isEqualTo("deployment undeployed");
            assertThat(contract.check("GET", "/deployments?status=undeployed", TestServer.ALICE, null, Map.of(), 200)
                    .body()).contains(id);
            assertThat(server.get("/deployments?status=succeeded", TestServer.ALICE).body()).doesNotContain(id);
            assertThat(server.get("/builds?status=undeployed", TestServer.ALICE).statusCode()).isEqualTo(400);

            HttpResponse<String> gone = contract.check("DELETE", "/deployments/" + id, TestServer.ALICE, null,
                    Map.of(), 409);
            assertThat(TestServer.json(gone).path("title").asText()).isEqualTo("Deployment already undeployed");
            assertThat(TestServer.json(server.get("/deployments/" + id, TestServer.ALICE)).path("status").asText())
                    .as("nothing changed").isEqualTo("undeployed");
            assertThat(Tables.dump(db)).doesNotContain(env.registryPassword());
        }
    }

    /**
     * An undeployment that fails (its build host's engine cannot be reached) is undeploy_failed with its error,
     * and a DELETE tries again, going on where it stopped.
     */
    @org.junit.jupiter.api.Test
    void aFailedUndeploymentShowsItsErrorAndIsRetried() throws Exception {
        String tag = RUN + "-undeploy-retry";
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\n");
        try (TestDatabase db = TestDatabase.of("h2", tmp)) {
            String id;
            try (TestServer server = TestServer.start(tmp, db, 1, Duration.ofSeconds(10))) {
                id = TestServer.json(server.send("POST", "/deployments", TestServer.ALICE, "{\"blueprint\": "
                        + "\"docker_image_definition\", \"inputs\": " + Requests.build(env, git, IMAGE, tag, null)
                        + "}")).path("id").asText();
                JsonNode deployed = awaitDeployment(server, id, "queued", "running");
                assertThat(deployed.path("status").asText()).as(deployed.toString()).isEqualTo("succeeded");
            }
            Map<String, List<String>> hostTags = hostTags(db, id);
            // the same server with a private key the SSH client refuses: the engine cannot be reached
            ServerConfig c = TestServer.config(tmp, db, 1, Duration.ofSeconds(10));
            Path badKey = Files.writeString(tmp.resolve("not-a-key"), "not a key\n");
            Files.setPosixFilePermissions(badKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            ServerConfig unreachable = new ServerConfig(c.host(), 0, c.dbUrl(), c.dbUser(), c.dbPassword(), 1,
                    c.apiKeysFile(), c.stateDir(), c.secretKeyFile(), c.maxBodyBytes(), c.lease(),
                    c.buildHost().withSshKey(badKey), c.allowLocalSources());
            try (TestServer server = TestServer.start(unreachable)) {
                assertThat(server.send("DELETE", "/deployments/" + id, TestServer.ALICE, null).statusCode())
                        .isEqualTo(202);
                JsonNode failed = awaitDeployment(server, id, "undeploying");
                assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("undeploy_failed");
                assertThat(failed.path("error").path("code").asText()).isEqualTo("deployment_failed");
                assertThat(failed.path("error").path("message").asText()).isNotBlank();
                assertThat(server.get("/deployments/" + id + "/log", TestServer.ALICE).body())
                        .endsWith("deployment undeploy_failed: " + failed.path("error").path("message").asText()
                                + "\n");
                assertThat(server.get("/deployments?status=undeploy_failed", TestServer.ALICE).body()).contains(id);
            }
            hostTags.forEach((host, tags) -> tags.forEach(t -> assertThat(onEngine(host, t)).as(t).isTrue()));
            try (TestServer server = TestServer.start(tmp, db, 1, Duration.ofSeconds(10))) {
                HttpResponse<String> retry = server.send("DELETE", "/deployments/" + id, TestServer.ALICE, null);
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
                assertThat(TestServer.json(retry).path("error").isNull()).as("the old error is gone").isTrue();
                JsonNode undeployed = awaitDeployment(server, id, "undeploying");
                assertThat(undeployed.path("status").asText()).as(undeployed.toString()).isEqualTo("undeployed");
            }
            hostTags.forEach((host, tags) -> tags.forEach(t -> assertThat(onEngine(host, t)).as(t).isFalse()));
        }
    }

    /** Polls the deployment while it is in one of {@code passing}; its first other state. */
    private static JsonNode awaitDeployment(TestServer server, String id, String... passing) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode d = TestServer.json(server.get("/deployments/" + id, TestServer.ALICE));
            if (!List.of(passing).contains(d.path("status").asText())) return d;
            assertThat(System.nanoTime()).as("deployment " + id + " leaves " + d).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The image tags the deployment's build left on each build host, from the state the server kept. */
    private static Map<String, List<String>> hostTags(TestDatabase db, String id) throws Exception {
        try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement s = c.prepareStatement(
                "SELECT deployment_state FROM builds WHERE id = ?")) {
            s.setString(1, id);
            try (java.sql.ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                JsonNode tags = TestServer.JSON.readTree(r.getString(1)).path("nodes").path("image")
                        .path("attributes").path("host_tags");
                Map<String, List<String>> out = new java.util.LinkedHashMap<>();
                tags.fields().forEachRemaining(e -> {
                    List<String> list = new ArrayList<>();
                    e.getValue().forEach(t -> list.add(t.asText()));
                    out.put(e.getKey(), list);
                });
                return out;
            }
        }
    }

    /** Whether the engine of build host {@code dockerHost} has the image {@code tag}. */
    private static boolean onEngine(String dockerHost, String tag) {
        String socket = dockerHost.equals(env.dockerHost(1)) ? env.dockerSocket(1) : env.dockerSocket(2);
        try {
            Process p = new ProcessBuilder(env.dockerClient(), "-H", socket, "image", "inspect", "--format", "{{.Id}}",
                    tag).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
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

    /**
     * A build secret given in the request reaches the RUN step that mounts it, and is shown nowhere: not in the build
     * as the API returns it, its log or the database. One read from the server's environment is refused.
     */
    @org.junit.jupiter.api.Test
    void aBuildSecretInTheRequestReachesRunAndIsShownNowhere() throws Exception {
        String secret = "api-secret-" + java.util.UUID.randomUUID();
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8)));
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN echo " + RUN
                + "-secret > /built\nRUN --mount=type=secret,id=api_token test \"$(sha256sum < "
                + "/run/secrets/api_token | cut -d' ' -f1)\" = " + sha + " && echo \"token: $(cat /run/secrets/api_token)\"\n");
        try (TestDatabase db = TestDatabase.of("h2", tmp); TestServer server = TestServer.start(tmp, db, 1,
                Duration.ofSeconds(10))) {
            String body = Requests.build(env, git, IMAGE, RUN + "-secret", null).replace("\"target\": {",
                    "\"secrets\": {\"api_token\": {\"value\": \"" + secret + "\"}},\n      \"target\": {");
            HttpResponse<String> r = server.send("POST", "/builds", TestServer.ALICE, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            String id = TestServer.json(r).path("id").asText();
            JsonNode done = server.awaitEnd(id, TestServer.ALICE, Duration.ofMinutes(5));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            String log = server.get("/builds/" + id + "/log", TestServer.ALICE).body();
            assertThat(log).contains("token: ****").doesNotContain(secret);
            assertThat(done.toString()).doesNotContain(secret);
            assertThat(Tables.dump(db)).doesNotContain(secret);

            HttpResponse<String> lockResponse = server.get("/builds/" + id + "/lock", TestServer.ALICE);
            assertThat(lockResponse.statusCode()).as(lockResponse.body()).isEqualTo(200);
            assertThat(lockResponse.body()).doesNotContain(secret);
            JsonNode lock = TestServer.json(lockResponse);
            assertThat(lock.path("mounted").toString()).isEqualTo("[\"api_token\"]");
            assertThat(lock.path("materials").get(0).path("commit").asText()).isEqualTo(Requests.head(tmp.resolve("repo")));
            JsonNode unit = lock.path("units").get(0);
            assertThat(unit.path("reference").asText()).isEqualTo(done.path("images").get(0).path("reference").asText());
            assertThat(unit.path("bases").get(0).path("image").asText()).isEqualTo(env.baseImage());
            assertThat(unit.path("bases").get(0).path("digest").asText()).matches("sha256:[0-9a-f]{64}");
            String subject = done.path("images").get(0).path("reference").asText().replaceFirst(":[^:/]+$", "")
                    + "@" + done.path("images").get(0).path("digest").asText();
            assertThat(done.path("provenance").get(0).path("subject").asText()).isEqualTo(subject);
            assertThat(done.path("provenance").get(0).path("attestation").asText()).endsWith(".att");
            assertThat(done.path("provenance").get(0).has("statement")).as("the statement is in the state").isFalse();
            assertThat(done.path("sboms").get(0).path("subject").asText()).isEqualTo(subject);
            assertThat(done.path("sboms").get(0).path("sbom").asText()).endsWith(".sbom");
            assertThat(server.get("/builds/" + id + "/lock", TestServer.BOB).statusCode())
                    .as("another key's build is not found").isEqualTo(404);

            HttpResponse<String> env = server.send("POST", "/builds", TestServer.ALICE, body.replace(
                    "{\"value\": \"" + secret + "\"}", "{\"env\": \"HOME\"}"));
            assertThat(env.statusCode()).as(env.body()).isEqualTo(400);
            assertThat(env.body()).contains("build_params.secrets.api_token.env: names an environment variable of "
                    + "the server; give the secret's value instead");
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
        String git = Requests.gitRepo(tmp.resolve("repo"), "FROM " + env.baseImage()
                + "\nRUN echo " + System.nanoTime() + " && sleep 240\n"); // never in the build cache
        try (TestDatabase db = TestDatabase.of("h2", tmp)) {
            ServerConfig c = TestServer.config(tmp, db, 1, Duration.ofSeconds(10));
            ServerConfig limited = new ServerConfig(c.host(), 0, c.dbUrl(), c.dbUser(), c.dbPassword(), 1,
                    c.apiKeysFile(), c.stateDir(), c.secretKeyFile(), c.maxBodyBytes(), c.lease(),
                    c.buildHost().withTimeout(Duration.ofSeconds(4)), c.allowLocalSources());
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
