package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.DockerfileRepos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds spread over the two loopback build hosts: units run on both, within each host's limit; a host that cannot
 * be reached is left out; a host whose engine dies during a unit is replaced by the other; a multi-platform image
 * built in parts on both hosts is one manifest list; a rebuild goes back to the host holding the image; a platform
 * no host can build fails before anything is built.
 */
class BuildHostPoolTest {

    /** Unique per run: other test classes push to the same registry, and bases must not be cached from before. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String IMAGE = "tests/pool";
    private static final int VARIANTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestEnvironment env;
    private static Engine engine;
    private static String repo;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() throws Exception {
        env = TestEnvironment.load();
        engine = new Engine(env, 1, Engine.privateConfig(shared));
        // distinct bases, so that no variant's RUN step is answered from the cache of another
        for (int i = 0; i < VARIANTS; i++) {
            Path dir = Files.createDirectories(shared.resolve("base-" + i));
            // a layer of its own: the cache of a RUN step is keyed by the layers beneath it, not by labels
            Files.writeString(dir.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN echo " + i + "-" + RUN
                    + " > /pool-base\n");
            engine.docker("build", "--quiet", "--tag", base(i), dir.toString());
            engine.docker("push", base(i));
        }
        repo = gitRepo(shared.resolve("repo"), """
                FROM %s
                ARG NONCE
                RUN echo "$NONCE" > /nonce && uname -m > /arch && sleep 3
                """.formatted(env.baseImage()));
    }

    private static String base(int i) {
        return env.registry() + "/tests/pool-base:" + RUN + "-" + i;
    }

    @Test
    void unitsRunOnBothHostsAndNeverMoreAtOnceThanAHostAllows() throws Exception {
        String tag = RUN + "-spread";
        Cli run = build(variants(tag), hostFlags(1, 2), "spread");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        JsonNode images = JSON.readTree(run.out()).path("images");
        assertThat(images).hasSize(VARIANTS);
        Map<String, List<String>> byHost = new HashMap<>();
        images.forEach(i -> byHost.computeIfAbsent(i.path("host").asText(), k -> new ArrayList<>())
                .add(i.path("reference").asText()));
        assertThat(byHost.keySet()).containsExactlyInAnyOrder(env.dockerHost(1), env.dockerHost(2));

        // each host holds the images it built, and only those
        for (int host = 1; host <= 2; host++) {
            String tags = new Engine(env, host, Engine.privateConfig(tmp.resolve("h" + host)))
                    .docker("images", "--format", "{{.Repository}}:{{.Tag}}", env.registry() + "/" + IMAGE);
            for (JsonNode i : images) {
                boolean here = i.path("host").asText().equals(env.dockerHost(host));
                assertThat(tags.lines().toList().contains(i.path("reference").asText()))
                        .as(i.path("reference").asText() + " on host " + host).isEqualTo(here);
            }
        }
        assertOneAtATimePerHost(run.err());
        for (JsonNode i : images) {
            String t = i.path("reference").asText().substring(i.path("reference").asText().lastIndexOf(':') + 1);
            assertThat(new Registry(env).manifest(IMAGE, t).digest()).isEqualTo(i.path("digest").asText());
        }
    }

    @Test
    void concurrentBuildsOfOneProcessShareTheLimitOfTheirHost() throws Exception {
        String stamped = gitRepo(tmp.resolve("stamped"), """
                FROM %s
                ARG NONCE
                RUN echo "$NONCE" && echo "ran from $(date +%%s)" && sleep 3 && echo "ran until $(date +%%s)"
                """.formatted(env.baseImage()));
        String tag = RUN + "-slots";
        List<String> flags = new ArrayList<>(hostFlags(1));
        flags.addAll(List.of("--max-concurrent-builds", "1"));
        List<CompletableFuture<Cli>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> image = variants(tag).subList(i, i + 1);
            String name = "slots-" + i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return build(stamped, image, "", flags, name);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<long[]> spans = new ArrayList<>();
        StringBuilder logs = new StringBuilder();
        for (CompletableFuture<Cli> r : runs) {
            Cli run = r.get(5, TimeUnit.MINUTES);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            logs.append(run.err());
            var from = java.util.regex.Pattern.compile("ran from (\\d+)").matcher(run.err());
            var until = java.util.regex.Pattern.compile("ran until (\\d+)").matcher(run.err());
            assertThat(from.find() && until.find()).as(run.toString()).isTrue();
            spans.add(new long[] {Long.parseLong(from.group(1)), Long.parseLong(until.group(1))});
        }
        assertThat(logs.toString()).contains("[" + env.dockerHost(1) + "] all 1 build slots are taken by other "
                + "builds; waiting for one");
        spans.sort(java.util.Comparator.comparingLong(s -> s[0]));
        assertThat(spans.get(1)[0]).as("the second RUN step starts after the first ends")
                .isGreaterThanOrEqualTo(spans.get(0)[1]);
    }

    @Test
    void aHostThatCannotBeReachedIsLeftOutAndTheOthersBuild() throws Exception {
        String tag = RUN + "-skip";
        List<String> flags = new ArrayList<>(List.of("--docker-host", "ssh://root@127.0.0.1:1",
                "--docker-host", env.dockerHost(1), "--ssh-key", env.sshKey().toString(),
                "--known-hosts", env.knownHosts().toString()));
        Path state = tmp.resolve("state-skip");
        flags.addAll(List.of("--state-dir", state.toString()));
        Cli run = build(variants(tag).subList(0, 2), flags, "skip");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("[ssh://root@127.0.0.1:1] not used in this run: cannot connect");
        JsonNode images = JSON.readTree(run.out()).path("images");
        assertThat(images).hasSize(2).allSatisfy(i -> assertThat(i.path("host").asText())
                .isEqualTo(env.dockerHost(1)));

        Cli status = Cli.run("status", "--state-dir", state.toString());
        assertThat(status.out()).containsPattern("ssh://root@127.0.0.1:1 +unreachable")
                .containsPattern(java.util.regex.Pattern.quote(env.dockerHost(1)) + " +usable +Docker");
    }

    @Test
    void aHostWhoseEngineDoesNotAnswerItsProbeIsSkipped() throws Exception {
        String tag = RUN + "-probe";
        kill(env.dir().resolve("host2/dockerd.pid"));
        try {
            Cli run = build(variants(tag).subList(0, 2), hostFlags(2, 1), "probe");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            // SSH to host 2 works; its engine does not answer docker version
            assertThat(run.err()).contains("[" + env.dockerHost(2) + "] not used in this run: the engine did not "
                    + "answer");
            assertThat(JSON.readTree(run.out()).path("images")).hasSize(2).allSatisfy(i ->
                    assertThat(i.path("host").asText()).isEqualTo(env.dockerHost(1)));
        } finally {
            restoreEnvironment();
        }
    }

    @Test
    void whenAHostsEngineDiesDuringAUnitTheOtherHostBuildsIt() throws Exception {
        String tag = RUN + "-failover";
        Path state = tmp.resolve("state-failover");
        List<String> flags = new ArrayList<>(hostFlags(2, 1));
        flags.addAll(List.of("--state-dir", state.toString()));
        CompletableFuture<Cli> running = CompletableFuture.supplyAsync(() -> {
            try {
                return build(variants(tag), flags, "failover");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path log = state.resolve("logs/image/Standard.start.log");
        try {
            waitFor(log, "building on " + env.dockerHost(2), Duration.ofSeconds(90));
            Thread.sleep(1000); // inside the unit's RUN step
            kill(env.dir().resolve("host2/dockerd.pid"));
            Cli run = running.get(5, TimeUnit.MINUTES);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.err()).contains("[" + env.dockerHost(2) + "] failed (")
                    .contains("not used again in this run").contains("retrying on another host in 1 s");
            JsonNode images = JSON.readTree(run.out()).path("images");
            assertThat(images).hasSize(VARIANTS);
            for (JsonNode i : images) {
                String t = i.path("reference").asText().substring(i.path("reference").asText().lastIndexOf(':') + 1);
                assertThat(new Registry(env).manifest(IMAGE, t).digest()).as(t).isEqualTo(i.path("digest").asText());
            }
            // everything that finished after the engine died was built on host 1
            assertThat(images).anySatisfy(i -> assertThat(i.path("host").asText()).isEqualTo(env.dockerHost(1)));
            Cli status = Cli.run("status", "--state-dir", state.toString());
            assertThat(status.out()).containsPattern(java.util.regex.Pattern.quote(env.dockerHost(2)) + " +failed");
        } finally {
            running.get(5, TimeUnit.MINUTES);
            restoreEnvironment();
        }
    }

    @Test
    void whenTheLastHostDiesTheRunFailsAndTheStateSaysWhatWasBuilt() throws Exception {
        String tag = RUN + "-lasthost";
        Path state = tmp.resolve("state-lasthost");
        List<String> flags = new ArrayList<>(hostFlags(2));
        flags.addAll(List.of("--state-dir", state.toString()));
        CompletableFuture<Cli> running = CompletableFuture.supplyAsync(() -> {
            try {
                return build(variants(tag), flags, "lasthost");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path log = state.resolve("logs/image/Standard.start.log");
        try {
            waitFor(log, tag + "-0: digest: sha256:", Duration.ofSeconds(90));
            Thread.sleep(1000); // inside the second unit's RUN step
            kill(env.dir().resolve("host2/dockerd.pid"));
            Cli run = running.get(5, TimeUnit.MINUTES);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out() + run.err()).contains("no other build host is left");

            Cli status = Cli.run("status", "--format", "json", "--state-dir", state.toString());
            JsonNode image = JSON.readTree(status.out()).path("nodes").path("image");
            assertThat(image.path("error").asText()).contains("no other build host is left");
            JsonNode built = image.path("attributes").path("images");
            assertThat(built).isNotEmpty().hasSizeLessThan(VARIANTS);
            assertThat(built.get(0).path("reference").asText()).endsWith(":" + tag + "-0");
            assertThat(image.path("attributes").path("build_hosts").get(0).path("status").asText())
                    .isEqualTo("failed");
        } finally {
            running.get(5, TimeUnit.MINUTES);
            restoreEnvironment();
        }
    }

    @Test
    void theTwoPlatformsOfAnImageBuiltOnDifferentHostsAreOneManifestList() throws Exception {
        String tag = RUN + "-multi";
        // host 2 says it builds arm64 natively, so that part goes there while amd64 goes to host 1
        String hosts = """
                docker_host: %s
                ssh_private_key: %s
                known_hosts: %s
                platforms: [ linux/amd64 ]
                build_hosts:
                  - docker_host: %s
                    platforms: [ linux/arm64 ]
                    ssh_private_key: %s
                    known_hosts: %s
                    docker_client: %s
                    build_network: none
                """.formatted(env.dockerHost(1), env.sshKey(), env.knownHosts(), env.dockerHost(2), env.sshKey(),
                env.knownHosts(), env.dockerClient());
        Cli run = build(List.of("- image: " + IMAGE + "\n  tag: " + tag
                + "\n  platforms: [ linux/amd64, linux/arm64 ]"), hosts, List.of(), "multi");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        JsonNode images = JSON.readTree(run.out()).path("images");
        assertThat(images).hasSize(2);
        Map<String, String> hostOf = new HashMap<>();
        images.forEach(i -> hostOf.put(i.path("platform").asText(), i.path("host").asText()));
        assertThat(hostOf).as(run.err()).containsEntry("linux/amd64", env.dockerHost(1)).containsEntry("linux/arm64",
                env.dockerHost(2));

        Registry.Manifest list = new Registry(env).manifest(IMAGE, tag);
        assertThat(list.mediaType()).isEqualTo(Registry.LIST);
        Map<String, String> listed = new HashMap<>();
        list.body().path("manifests").forEach(m -> listed.put(m.path("platform").path("os").asText() + "/"
                + m.path("platform").path("architecture").asText(), m.path("digest").asText()));
        assertThat(listed.keySet()).containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
        for (JsonNode i : images) {
            assertThat(i.path("manifest_list").asText()).isEqualTo(list.digest());
            assertThat(listed.get(i.path("platform").asText())).isEqualTo(i.path("digest").asText());
        }
        String arm = env.registry() + "/" + IMAGE + "@" + listed.get("linux/arm64");
        engine.docker("pull", "--platform", "linux/arm64", arm);
        assertThat(engine.docker("run", "--rm", "--network", "none", "--platform", "linux/arm64", arm, "cat",
                "/arch").strip()).endsWith("aarch64");
    }

    @Test
    void aRebuildGoesBackToTheHostThatBuiltTheImage() throws Exception {
        String tag = RUN + "-affinity";
        List<String> image = List.of("- image: " + IMAGE + "\n  tag: " + tag);
        Cli first = build(image, hostFlags(2), "affinity-1");
        assertThat(first.exitCode()).as(first.toString()).isZero();

        Cli again = build(image, hostFlags(1, 2), "affinity-2");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode images = JSON.readTree(again.out()).path("images");
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("host").asText()).isEqualTo(env.dockerHost(2));
        assertThat(again.err()).contains("building on " + env.dockerHost(2));
    }

    @Test
    void aPlatformNoHostCanBuildFailsBeforeAnythingIsBuilt() throws Exception {
        String tag = RUN + "-nohost";
        // a known platform that neither host builds or emulates (their qemu runs arm64 as v8)
        Cli run = build(List.of("- image: " + IMAGE + "\n  tag: " + tag + "\n  platforms: [ linux/arm64/v9 ]"),
                hostFlags(1, 2), "nohost");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("no build host can build linux/arm64/v9 (for " + IMAGE + ":" + tag
                + "): " + env.dockerHost(1) + " builds linux/386, linux/amd64; emulates");
        assertThat(run.err()).doesNotContain("building on");
        assertThat(new Registry(env).manifest(IMAGE, tag).status()).isEqualTo(404);
    }

    /**
     * SODALITE's seven-platform example on one amd64 host: 386 runs natively there, the arm, ppc64le and s390x
     * platforms through qemu. The Dockerfile copies a file onto scratch, so no base image is needed per platform.
     */
    @Test
    void sodalitesSevenPlatformsBuildOnOneAmd64Host() throws Exception {
        String tag = RUN + "-seven";
        Path dir = Files.createDirectories(tmp.resolve("scratch"));
        Files.writeString(dir.resolve("hello"), "hello " + RUN + "\n");
        String scratch = gitRepo(dir, "FROM scratch\nCOPY hello /hello\n");
        List<String> seven = List.of("linux/amd64", "linux/386", "linux/arm64", "linux/ppc64le", "linux/s390x",
                "linux/arm/v7", "linux/arm/v6");
        Cli run = build(scratch, List.of("- image: " + IMAGE + "\n  tag: " + tag + "\n  platforms: [ "
                + String.join(", ", seven) + " ]"), "", hostFlags(1), "seven");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Registry.Manifest list = new Registry(env).manifest(IMAGE, tag);
        assertThat(list.mediaType()).isEqualTo(Registry.LIST);
        List<String> listed = new ArrayList<>();
        for (JsonNode m : list.body().path("manifests")) {
            JsonNode p = m.path("platform");
            listed.add(p.path("os").asText() + "/" + p.path("architecture").asText()
                    + (p.has("variant") ? "/" + p.path("variant").asText() : ""));
        }
        assertThat(listed).containsExactlyInAnyOrder("linux/amd64", "linux/386", "linux/arm64", "linux/ppc64le",
                "linux/s390x", "linux/arm/v7", "linux/arm/v6");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static List<String> variants(String tag) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < VARIANTS; i++) {
            out.add("- image: " + IMAGE + "\n  tag: " + tag + "-" + i + "\n  base: " + base(i));
        }
        return out;
    }

    /** --docker-host for each loopback host, in this order, with the environment's SSH key and known_hosts. */
    private static List<String> hostFlags(int... hosts) {
        List<String> flags = new ArrayList<>();
        for (int h : hosts) flags.addAll(List.of("--docker-host", env.dockerHost(h)));
        flags.addAll(List.of("--ssh-key", env.sshKey().toString(), "--known-hosts", env.knownHosts().toString()));
        return flags;
    }

    private Cli build(List<String> images, List<String> flags, String name) throws Exception {
        return build(repo, images, "", flags, name);
    }

    private Cli build(List<String> images, String hostSettings, List<String> flags, String name) throws Exception {
        return build(repo, images, hostSettings, flags, name);
    }

    /** Runs `build --json` on a document with these image entries, host settings and flags. */
    private Cli build(String repo, List<String> images, String hostSettings, List<String> flags, String name)
            throws Exception {
        StringBuilder entries = new StringBuilder();
        images.forEach(i -> entries.append(i.indent(6)));
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, """
                build_params:
                  source:
                    git_repo:
                      url: %s
                  build_args:
                    NONCE: "%s"
                  target:
                    images:
                %s    registry:
                      url: %s
                      username: %s
                registry_password: "%s"
                docker_client: %s
                build_network: none
                %s""".formatted(repo, RUN + "-" + name, entries, env.registry(), env.registryUser(),
                env.registryPassword(), env.dockerClient(), hostSettings));
        List<String> args = new ArrayList<>(List.of("build", "--json"));
        args.addAll(flags);
        args.add(file.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    /** Between "building on H" for a unit and its pushed digest, no other unit starts on H (each allows one). */
    private static void assertOneAtATimePerHost(String log) {
        Map<String, String> busy = new HashMap<>();
        Set<String> seen = new HashSet<>();
        java.util.regex.Pattern start = java.util.regex.Pattern.compile("\\[([^\\]]+)\\] building on (\\S+)");
        java.util.regex.Pattern done = java.util.regex.Pattern.compile("\\[([^\\]]+)\\] \\S+: digest: sha256:");
        for (String line : log.lines().toList()) {
            var s = start.matcher(line);
            if (s.find()) {
                assertThat(busy.get(s.group(2))).as("unit running on " + s.group(2) + " when " + s.group(1)
                        + " started there").isNull();
                busy.put(s.group(2), s.group(1));
                seen.add(s.group(2));
                continue;
            }
            var d = done.matcher(line);
            if (d.find()) busy.values().remove(d.group(1));
        }
        assertThat(seen).hasSize(2);
    }

    private static void waitFor(Path file, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("\"" + text + "\" did not appear in " + file + " within " + timeout);
    }

    private static void kill(Path pidFile) throws Exception {
        String pid = Files.readString(pidFile).strip();
        ProcessResult r = ProcessRunner.run(ProcessRunner.command("kill", "-9", pid), System.getenv(), null, null,
                line -> { }, line -> { }, Duration.ofSeconds(10), null);
        assertThat(r.succeeded()).as("kill -9 " + pid).isTrue();
    }

    /** Starts the killed engine again, as the environment's own script does. */
    private static void restoreEnvironment() throws Exception {
        Path script = Path.of(System.getProperty("imagebuilder.repo")).resolve("scripts/testenv.sh");
        List<String> out = new ArrayList<>();
        ProcessResult r = ProcessRunner.run(ProcessRunner.command(script.toString(), "up"), System.getenv(), null,
                null, out::add, out::add, Duration.ofMinutes(5), null);
        assertThat(r.succeeded()).as("testenv up: " + out).isTrue();
    }

    private static String gitRepo(Path dir, String dockerfile) throws Exception {
        return DockerfileRepos.create(dir, dockerfile);
    }
}
