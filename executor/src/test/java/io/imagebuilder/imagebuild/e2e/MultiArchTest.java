package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.DockerfileRepos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-platform images built end to end on the loopback engine (arm64 under emulation): the registry holds a
 * manifest list naming every platform, each platform's image runs as that architecture, and the images
 * attribute records every platform's digest and the list's.
 */
class MultiArchTest {

    /** Unique per run: other test classes push to the same registry. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final Path BLUEPRINT = Path.of(System.getProperty("imagebuilder.repo"))
            .resolve("blueprints/docker_image_definition.yaml").toAbsolutePath().normalize();
    private static final String DOCKERFILE = "FROM %s\nRUN uname -m > /arch\n";
    private static final Map<String, String> UNAME = Map.of("linux/amd64", "x86_64", "linux/arm64", "aarch64");

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
    void anImageForTwoPlatformsIsPushedAsAManifestList() throws Exception {
        String image = "tests/multiarch-single";
        String tag = RUN;
        JsonNode images = deploy("""
                      - image: %s
                        tag: %s
                        platforms:
                          - linux/amd64
                          - linux/arm64
                """.formatted(image, tag), List.of("linux/amd64", "linux/arm64"));

        assertThat(images).hasSize(2);
        checkManifestList(images, image, tag, List.of("linux/amd64", "linux/arm64"));
    }

    @Test
    void variantsEachGetTheirOwnPlatforms() throws Exception {
        String image = "tests/multiarch-variants";
        String both = RUN + "-both";
        String arm = RUN + "-arm64";
        JsonNode images = deploy("""
                      - image: %s
                        tag: %s
                        platforms:
                          - linux/amd64
                          - linux/arm64
                      - image: %s
                        tag: %s
                        base: %s
                        platforms:
                          - linux/arm64
                """.formatted(image, both, image, arm, env.baseImage()), List.of("linux/amd64", "linux/arm64"));

        assertThat(images).hasSize(3);
        checkManifestList(images, image, both, List.of("linux/amd64", "linux/arm64"));
        checkSingleImage(images, image, arm, "linux/arm64");
    }

    @Test
    void anImageNamingNoPlatformIsBuiltForTheBuildHostsFirstPlatform() throws Exception {
        String image = "tests/multiarch-host-default";
        String tag = RUN;
        JsonNode images = deploy("""
                      - image: %s
                        tag: %s
                """.formatted(image, tag), List.of("linux/arm64", "linux/amd64"));

        assertThat(images).hasSize(1);
        checkSingleImage(images, image, tag, "linux/arm64");
    }

    /** The registry serves a manifest list of exactly these platforms; the images attribute matches it. */
    private void checkManifestList(JsonNode images, String image, String tag, List<String> platforms)
            throws Exception {
        String reference = env.registry() + "/" + image + ":" + tag;
        Registry.Manifest list = new Registry(env).manifest(image, tag);
        assertThat(list.status()).as(reference).isEqualTo(200);
        assertThat(list.mediaType()).isEqualTo(Registry.LIST);

        Map<String, String> listed = new HashMap<>();
        for (JsonNode entry : list.body().path("manifests")) {
            JsonNode p = entry.path("platform");
            listed.put(p.path("os").asText() + "/" + p.path("architecture").asText(), entry.path("digest").asText());
        }
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(platforms);

        List<JsonNode> recorded = entries(images, reference);
        assertThat(recorded).extracting(i -> i.path("platform").asText())
                .containsExactlyInAnyOrderElementsOf(platforms);
        for (JsonNode i : recorded) {
            String platform = i.path("platform").asText();
            assertThat(i.path("manifest_list").asText()).as("manifest_list of " + platform).isEqualTo(list.digest());
            assertThat(i.path("digest").asText()).as("digest of " + platform).isEqualTo(listed.get(platform))
                    .startsWith("sha256:");
            assertThat(runArch(image, i.path("digest").asText(), platform)).as(platform)
                    .isEqualTo(UNAME.get(platform));
        }
    }

    /** The registry serves a single image for one platform; the images attribute matches it. */
    private void checkSingleImage(JsonNode images, String image, String tag, String platform) throws Exception {
        String reference = env.registry() + "/" + image + ":" + tag;
        Registry.Manifest m = new Registry(env).manifest(image, tag);
        assertThat(m.status()).as(reference).isEqualTo(200);
        assertThat(m.mediaType()).isEqualTo(Registry.IMAGE);
        List<JsonNode> recorded = entries(images, reference);
        assertThat(recorded).hasSize(1);
        JsonNode i = recorded.get(0);
        assertThat(i.path("platform").asText()).isEqualTo(platform);
        assertThat(i.path("digest").asText()).isEqualTo(m.digest());
        assertThat(i.has("manifest_list")).as("a single image has no manifest list").isFalse();
        assertThat(runArch(image, m.digest(), platform)).isEqualTo(UNAME.get(platform));
    }

    private static List<JsonNode> entries(JsonNode images, String reference) {
        List<JsonNode> found = images.findParents("reference").stream()
                .filter(i -> i.path("reference").asText().equals(reference)).toList();
        assertThat(found).as("images entries for " + reference + " in " + images).isNotEmpty();
        return found;
    }

    /** Pulls image@digest for the platform on engine 1 and prints what its RUN step recorded of uname -m. */
    private static String runArch(String image, String digest, String platform) throws Exception {
        String ref = env.registry() + "/" + image + "@" + digest;
        engine.docker("pull", "--platform", platform, ref);
        String out = engine.docker("run", "--rm", "--network", "none", "--platform", platform, ref, "cat", "/arch");
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /**
     * Deploys the blueprint for a git repository holding the uname Dockerfile, with the image entries given
     * (YAML list items under target.images) and the build host's platforms; returns the images output.
     */
    private JsonNode deploy(String imageEntries, List<String> hostPlatforms) throws Exception {
        String repo = gitRepo(tmp.resolve("repo"), DOCKERFILE.formatted(env.baseImage()));
        StringBuilder platforms = new StringBuilder("platforms:\n");
        hostPlatforms.forEach(p -> platforms.append("  - ").append(p).append('\n'));
        Path inputs = tmp.resolve("inputs.yaml");
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
                docker_host: %s
                ssh_private_key: %s
                known_hosts: %s
                docker_client: %s
                build_network: none
                %s""".formatted(repo, imageEntries, env.registry(), env.registryUser(), env.dockerHost(1),
                env.sshKey(), env.knownHosts(), env.dockerClient(), platforms));
        Path secrets = tmp.resolve("secrets.yaml");
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secrets, "registry_password: \"" + env.registryPassword() + "\"\n");
        Path state = tmp.resolve("state");
        Cli deploy = Cli.run("deploy", "-i", inputs.toString(), "-i", secrets.toString(), "--state-dir",
                state.toString(), BLUEPRINT.toString());
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();

        Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
        assertThat(outputs.exitCode()).as(outputs.toString()).isZero();
        return new ObjectMapper().readTree(outputs.out()).path("images");
    }

    /** A git repository with one commit holding the Dockerfile; its file:// URL. */
    private static String gitRepo(Path dir, String dockerfile) throws Exception {
        return DockerfileRepos.create(dir, dockerfile);
    }
}
