package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.DockerfileRepos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build command end to end: a build_params document (on its own or in an inputs file) built on the loopback
 * engine and pushed to the registry, its report as text or JSON, dry runs, and the build host given by flags.
 */
class BuildCommandTest {

    /** Unique per run: other test classes push to the same registry. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String IMAGE = "tests/build-command";
    private static final String DOCKERFILE = "FROM %s\nRUN uname -m > /arch\n";

    private static TestEnvironment env;
    private static Engine engine;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() throws Exception {
        env = TestEnvironment.load();
        engine = new Engine(env, 1, Engine.privateConfig(shared));
    }

    @Test
    void jsonReportListsEveryPushedReferenceWhileProgressGoesToStandardError() throws Exception {
        String single = RUN + "-json";
        String multi = RUN + "-json-multi";
        Path inputs = inputsFile("""
                  - image: %s
                    tag: %s
                  - image: %s
                    tag: %s
                    platforms: [ linux/amd64, linux/arm64 ]
                """.formatted(IMAGE, single, IMAGE, multi), true);

        Cli run = Cli.run("build", "--json", inputs.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out()); // the whole of standard output is the report
        assertThat(report.path("status").asText()).isEqualTo("succeeded");
        assertThat(report.path("build_host").asText()).isEqualTo(env.dockerHost(1));
        assertThat(report.path("registry").asText()).isEqualTo(env.registry());
        assertThat(report.path("duration_seconds").isNumber()).as(run.out()).isTrue();
        assertThat(report.path("duration_seconds").asDouble()).isPositive();
        assertThat(report.has("error")).isFalse();
        assertThat(report.has("state_directory")).as("a temporary state directory is not kept").isFalse();

        JsonNode images = report.path("images");
        assertThat(images).hasSize(3);
        for (JsonNode i : images) {
            assertThat(i.path("digest").asText()).as(i.toString()).matches("sha256:[0-9a-f]{64}");
        }
        Registry registry = new Registry(env);

        List<JsonNode> plain = entries(images, single);
        assertThat(plain).hasSize(1);
        Registry.Manifest m = registry.manifest(IMAGE, single);
        assertThat(m.status()).isEqualTo(200);
        assertThat(plain.get(0).path("digest").asText()).isEqualTo(m.digest());
        assertThat(plain.get(0).path("platform").asText()).isEqualTo("linux/amd64");

        List<JsonNode> both = entries(images, multi);
        Registry.Manifest list = registry.manifest(IMAGE, multi);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.mediaType()).isEqualTo(Registry.LIST);
        Map<String, String> listed = new HashMap<>();
        for (JsonNode entry : list.body().path("manifests")) {
            listed.put(entry.path("platform").path("os").asText() + "/"
                    + entry.path("platform").path("architecture").asText(), entry.path("digest").asText());
        }
        assertThat(both).extracting(i -> i.path("platform").asText())
                .containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
        for (JsonNode i : both) {
            assertThat(i.path("digest").asText()).isEqualTo(listed.get(i.path("platform").asText()));
            assertThat(i.path("manifest_list").asText()).isEqualTo(list.digest());
        }

        assertThat(run.err()).contains("logging in to " + env.registry() + " as " + env.registryUser())
                .contains("[" + IMAGE + ":" + single + "] ")
                .contains("[" + IMAGE + ":" + multi + " linux/arm64] ");
        assertThat(run.out()).doesNotContain("logging in to").doesNotContain("[" + IMAGE + ":");
        assertThat(run.out() + run.err()).doesNotContain(env.registryPassword());
    }

    @Test
    void anImageTheRegistryHoldsAsBuiltIsNotPushedAgain() throws Exception {
        String tag = RUN + "-again";
        String multi = RUN + "-again-multi";
        Path inputs = inputsFile("""
                  - image: %s
                    tag: %s
                  - image: %s
                    tag: %s
                    platforms: [ linux/amd64, linux/arm64 ]
                """.formatted(IMAGE, tag, IMAGE, multi), true);
        Registry registry = new Registry(env);

        Cli first = Cli.run("build", "--json", inputs.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String digest = entries(new ObjectMapper().readTree(first.out()).path("images"), tag).get(0)
                .path("digest").asText();
        String list = registry.manifest(IMAGE, multi).digest();
        assertThat(first.err()).contains("[" + IMAGE + ":" + tag + "] The push refers to");

        Cli again = Cli.run("build", "--json", inputs.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode images = new ObjectMapper().readTree(again.out()).path("images");
        assertThat(entries(images, tag).get(0).path("digest").asText()).isEqualTo(digest);
        assertThat(again.err()).contains("[" + IMAGE + ":" + tag + "] " + env.registry() + "/" + IMAGE + ":" + tag
                        + " is in the registry as built (" + digest + "); not pushed again")
                .doesNotContain("The push refers to");
        assertThat(registry.manifest(IMAGE, tag).digest()).isEqualTo(digest);
        assertThat(registry.manifest(IMAGE, multi).digest()).as("the same list, of the same images").isEqualTo(list);
        for (JsonNode i : entries(images, multi)) assertThat(i.path("manifest_list").asText()).isEqualTo(list);

        // the tag moved to another image since: the build's own image goes back under it
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN echo other > /other\n");
        String reference = env.registry() + "/" + IMAGE + ":" + tag;
        engine.docker("build", "--network", "none", "--tag", reference, other.toString());
        engine.docker("push", reference);
        assertThat(registry.manifest(IMAGE, tag).digest()).isNotEqualTo(digest);

        Cli moved = Cli.run("build", "--json", inputs.toString());
        assertThat(moved.exitCode()).as(moved.toString()).isZero();
        assertThat(moved.err()).contains("[" + IMAGE + ":" + tag + "] The push refers to");
        assertThat(entries(new ObjectMapper().readTree(moved.out()).path("images"), tag).get(0).path("digest")
                .asText()).isEqualTo(digest);
        assertThat(registry.manifest(IMAGE, tag).digest()).isEqualTo(digest);
    }

    @Test
    void dryRunPrintsWhatWouldBeBuiltAndBuildsNothing() throws Exception {
        String tag = RUN + "-dry";
        Path inputs = inputsFile("""
                  - image: %s
                    tag: %s
                    platforms: [ linux/amd64, linux/arm64 ]
                """.formatted(IMAGE, tag), true);
        Path state = tmp.resolve("state");

        Cli text = Cli.run("build", "--dry-run", "--state-dir", state.toString(), inputs.toString());
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("Would build on " + env.dockerHost(1) + " and push to " + env.registry())
                .contains(env.registry() + "/" + IMAGE + ":" + tag + "  for [linux/amd64, linux/arm64]");

        Cli json = Cli.run("build", "--dry-run", "--json", "--state-dir", state.toString(), inputs.toString());
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("status").asText()).isEqualTo("planned");
        assertThat(report.path("images").get(0).path("reference").asText())
                .isEqualTo(env.registry() + "/" + IMAGE + ":" + tag);

        assertThat(new Registry(env).manifest(IMAGE, tag).status()).as("nothing was pushed").isEqualTo(404);
        assertThat(state).as("no state directory is created").doesNotExist();
    }

    @Test
    void flagsOverrideTheBuildHostOfTheFile() throws Exception {
        String tag = RUN + "-flags";
        // every build host input of the file is unusable (a port nothing listens on, a missing key and
        // known_hosts, a network the engine does not have) or observable (arm64 as the default platform), so the
        // build succeeding as amd64 shows each flag took the file's place
        Path inputs = tmp.resolve("inputs.yaml");
        Files.writeString(inputs, """
                build_params:
                  source:
                    git_repo:
                      url: %s
                  target:
                    images:
                      - image: %s
                        tag: %s
                    registry:
                      url: %s
                      username: %s
                registry_password: "%s"
                docker_host: ssh://root@127.0.0.1:1
                ssh_private_key: %s
                known_hosts: %s
                docker_client: %s
                build_network: no-such-network
                platforms: [ linux/arm64 ]
                """.formatted(gitRepo(tmp.resolve("repo")), IMAGE, tag, env.registry(), env.registryUser(),
                env.registryPassword(), tmp.resolve("no-such-key"), tmp.resolve("no-such-known-hosts"),
                env.dockerClient()));
        Files.setPosixFilePermissions(inputs, PosixFilePermissions.fromString("rw-------"));

        Cli fromFile = Cli.run("build", inputs.toString());
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(1);

        Cli run = Cli.run("build", "--json", "--docker-host", env.dockerHost(1), "--ssh-key", env.sshKey().toString(),
                "--known-hosts", env.knownHosts().toString(), "--network", "none", "--platform", "linux/amd64",
                inputs.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.path("status").asText()).isEqualTo("succeeded");
        assertThat(report.path("build_host").asText()).isEqualTo(env.dockerHost(1));
        JsonNode image = report.path("images").get(0);
        assertThat(image.path("platform").asText()).isEqualTo("linux/amd64");
        Registry.Manifest m = new Registry(env).manifest(IMAGE, tag);
        assertThat(m.status()).isEqualTo(200);
        assertThat(image.path("digest").asText()).isEqualTo(m.digest());
        assertThat(runArch(m.digest(), "linux/amd64")).isEqualTo("x86_64");
    }

    @Test
    void registryPasswordStdinWithNothingOnStandardInputIsInvalidInput() throws Exception {
        String tag = RUN + "-empty-stdin";
        Path inputs = inputsFile("""
                  - image: %s
                    tag: %s
                """.formatted(IMAGE, tag), false);

        Cli run = withStandardInput(new byte[0],
                () -> Cli.run("build", "--registry-password-stdin", inputs.toString()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--registry-password-stdin").contains("usage:");
        assertThat(new Registry(env).manifest(IMAGE, tag).status()).as("nothing was pushed").isEqualTo(404);
    }

    @Test
    void aBareSodaliteDocumentIsBuiltOnTheHostGivenByFlags() throws Exception {
        String tag = RUN + "-bare";
        Path params = tmp.resolve("build_params.json");
        Files.writeString(params, """
                {
                  "source": {
                    "git_repo": {
                      "url": "%s"
                    }
                  },
                  "target": {
                    "images": [
                      {
                        "image": "%s",
                        "tag": "%s"
                      }
                    ],
                    "registry": {
                      "url": "%s",
                      "username": "%s"
                    }
                  }
                }
                """.formatted(gitRepo(tmp.resolve("repo")), IMAGE, tag, env.registry(), env.registryUser()));

        Cli run = withStandardInput((env.registryPassword() + "\n").getBytes(StandardCharsets.UTF_8),
                () -> Cli.run("build", "--docker-host", env.dockerHost(1), "--ssh-key", env.sshKey().toString(),
                        "--known-hosts", env.knownHosts().toString(), "--docker-client", env.dockerClient(),
                        "--network", "none", "--registry-password-stdin", params.toString()));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Registry.Manifest m = new Registry(env).manifest(IMAGE, tag);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.mediaType()).isEqualTo(Registry.IMAGE);
        assertThat(run.out()).contains("pushed " + env.registry() + "/" + IMAGE + ":" + tag + "@" + m.digest())
                .contains("build succeeded");
        assertThat(run.out() + run.err()).doesNotContain(env.registryPassword());
        assertThat(runArch(m.digest(), "linux/amd64")).isEqualTo("x86_64");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /**
     * An inputs file (mode 0600) for the loopback engine: build_params for a git repository holding the uname
     * Dockerfile, with the image entries given, and the registry password when {@code withPassword}.
     */
    private Path inputsFile(String imageEntries, boolean withPassword) throws Exception {
        return inputsFile(imageEntries, withPassword, DOCKERFILE.formatted(env.baseImage()));
    }

    private Path inputsFile(String imageEntries, boolean withPassword, String dockerfile) throws Exception {
        Path inputs = tmp.resolve("inputs.yaml");
        Files.createFile(inputs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(inputs, """
                build_params:
                  source:
                    git_repo:
                      url: %s
                  target:
                    images:
                %s    registry:
                      url: %s
                      username: %s
                      insecure: true
                %sdocker_host: %s
                ssh_private_key: %s
                known_hosts: %s
                docker_client: %s
                build_network: none
                platforms: [ linux/amd64, linux/arm64 ]
                """.formatted(DockerfileRepos.create(tmp.resolve("repo"), dockerfile), imageEntries.indent(4),
                env.registry(),
                env.registryUser(), withPassword ? "registry_password: \"" + env.registryPassword() + "\"\n" : "",
                env.dockerHost(1), env.sshKey(), env.knownHosts(), env.dockerClient()));
        return inputs;
    }

    private static List<JsonNode> entries(JsonNode images, String tag) {
        String reference = env.registry() + "/" + IMAGE + ":" + tag;
        List<JsonNode> found = images.findParents("reference").stream()
                .filter(i -> i.path("reference").asText().equals(reference)).toList();
        assertThat(found).as("images entries for " + reference + " in " + images).isNotEmpty();
        return found;
    }

    /** Pulls the pushed image by digest on engine 1 and prints what its RUN step recorded of uname -m. */
    private static String runArch(String digest, String platform) throws Exception {
        String ref = env.registry() + "/" + IMAGE + "@" + digest;
        engine.docker("pull", "--platform", platform, ref);
        String out = engine.docker("run", "--rm", "--network", "none", "--platform", platform, ref, "cat", "/arch");
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private interface Action {
        Cli run() throws Exception;
    }

    /** Runs the action with {@code bytes} as System.in, restoring the previous standard input afterwards. */
    private static Cli withStandardInput(byte[] bytes, Action action) throws Exception {
        InputStream previous = System.in;
        System.setIn(new ByteArrayInputStream(bytes));
        try {
            return action.run();
        } finally {
            System.setIn(previous);
        }
    }

    /** A git repository with one commit holding the uname Dockerfile; its file:// URL. */
    private static String gitRepo(Path dir) throws Exception {
        return DockerfileRepos.create(dir, DOCKERFILE.formatted(env.baseImage()));
    }

    @Test
    void aBuildOutlastingTheTimeoutIsStoppedAndFails() throws Exception {
        String tag = RUN + "-timeout";
        Path inputs = inputsFile("""
                  - image: %s
                    tag: %s
                """.formatted(IMAGE, tag), true, "FROM " + env.baseImage()
                + "\nRUN echo " + tag + " && sleep 240\n"); // never in the build cache

        Cli run = Cli.run("build", "--json", "--timeout", "4", inputs.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.path("status").asText()).isEqualTo("failed");
        assertThat(report.path("error").asText()).contains("timed out after 4 s");
        assertThat(new Registry(env).manifest(IMAGE, tag).status()).as("nothing pushed").isEqualTo(404);
    }

    @Test
    void aBuildNetworkThatIsNoNetworkNameIsRefusedWithItsPlace() throws Exception {
        Path inputs = inputsFile("""
                  - image: %s
                    tag: never
                """.formatted(IMAGE), true);
        Files.writeString(inputs, Files.readString(inputs).replace("build_network: none",
                "build_network: \"none\\nFAKE log line\""));
        Cli run = Cli.run("build", "--dry-run", inputs.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("inputs.yaml:18:16: ").contains("must match the pattern");
        assertThat(run.err().lines()).noneMatch(l -> l.startsWith("FAKE"));
    }

    @Test
    void sourceLimitsGivenOnTheCommandLineReachTheFetch() throws Exception {
        Path inputs = inputsFile("""
                  - image: %s
                    tag: never
                """.formatted(IMAGE), true);
        Cli run = Cli.run("build", "--max-dockerfile-bytes", "16", inputs.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("larger than the limit of 16 bytes (max_dockerfile_bytes)");

        Cli zero = Cli.run("build", "--max-context-bytes", "0", inputs.toString());
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--max-context-bytes: must be at least 1, got 0");
    }

    @Test
    void aTimeoutMustBePositive() throws Exception {
        Path inputs = inputsFile("""
                  - image: %s
                    tag: never
                """.formatted(IMAGE), true);
        Cli run = Cli.run("build", "--timeout", "0", inputs.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--timeout must be at least 1 second, got 0");
    }
}
