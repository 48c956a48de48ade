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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Image variants built end to end: the same Dockerfile built once on its own base image and once on an injected
 * base, each variant pulled back by digest and run, so what its RUN steps saw of the base shows in its files.
 */
class ImageVariantsTest {

    /** Unique per run: other test classes push to the same registry. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final Path BLUEPRINT = Path.of(System.getProperty("imagebuilder.repo"))
            .resolve("blueprints/docker_image_definition.yaml").toAbsolutePath().normalize();

    private static TestEnvironment env;
    private static Engine engine;
    private static String altBase;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    /** A base image of its own, pushed to the registry: busybox with /base-marker holding "alt". */
    @BeforeAll
    static void environment() throws Exception {
        env = TestEnvironment.load();
        engine = new Engine(env, 1, Engine.privateConfig(shared));
        Path context = Files.createDirectories(shared.resolve("alt-base"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\n"
                + "RUN echo alt > /base-marker\n");
        altBase = env.registry() + "/tests/alt-base:" + RUN;
        engine.docker("build", "--network", "none", "--tag", altBase, context.toString());
        engine.docker("push", altBase);
    }

    @Test
    void aSingleStageVariantIsBuiltOnItsInjectedBase() throws Exception {
        String image = "tests/variants-single";
        Map<String, String> digests = deployVariants(image, "FROM " + env.baseImage() + "\n"
                + "RUN (cat /base-marker 2>/dev/null || echo default) > /from-base\n");

        assertThat(run(image, digests.get(RUN + "-plain"), "cat /from-base")).isEqualTo("default");
        assertThat(run(image, digests.get(RUN + "-alt"), "cat /from-base")).isEqualTo("alt");
        assertThat(run(image, digests.get(RUN + "-alt"), "cat /base-marker")).isEqualTo("alt");
    }

    @Test
    void aMultiStageVariantHasItsFirstStageRebasedAndNotItsLast() throws Exception {
        String image = "tests/variants-multistage";
        Map<String, String> digests = deployVariants(image, "FROM " + env.baseImage() + " AS build\n"
                + "RUN (cat /base-marker 2>/dev/null || echo default) > /from-base\n"
                + "\n"
                + "FROM " + env.baseImage() + "\n"
                + "COPY --from=build /from-base /from-base\n");

        assertThat(run(image, digests.get(RUN + "-plain"), "cat /from-base")).isEqualTo("default");
        assertThat(run(image, digests.get(RUN + "-alt"), "cat /from-base")).isEqualTo("alt");
        // the last stage kept the Dockerfile's own base: the marker of the injected one is not in the image
        assertThat(run(image, digests.get(RUN + "-alt"), "cat /base-marker 2>/dev/null || echo absent"))
                .isEqualTo("absent");
    }

    /**
     * Deploys two variants of {@code image} from a git repository holding {@code dockerfile}: tag RUN-plain on the
     * Dockerfile's base, tag RUN-alt on the alternative base. Returns tag to digest, each checked against the
     * registry.
     */
    private Map<String, String> deployVariants(String image, String dockerfile) throws Exception {
        String repo = gitRepo(tmp.resolve("repo"), dockerfile);
        Path inputs = tmp.resolve("inputs.yaml");
        Files.writeString(inputs, """
                build_params:
                  source:
                    git_repo:
                      url: %s
                  target:
                    images:
                      - image: %s
                        tag: %s-plain
                      - image: %s
                        tag: %s-alt
                        base: %s
                    registry:
                      url: %s
                      username: %s
                docker_host: %s
                ssh_private_key: %s
                known_hosts: %s
                docker_client: %s
                build_network: none
                """.formatted(repo, image, RUN, image, RUN, altBase, env.registry(), env.registryUser(),
                env.dockerHost(1), env.sshKey(), env.knownHosts(), env.dockerClient()));
        Path state = tmp.resolve("state");
        Cli deploy = Cli.run("deploy", "-i", inputs.toString(), "-i", secrets().toString(), "--state-dir",
                state.toString(), BLUEPRINT.toString());
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();

        Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
        assertThat(outputs.exitCode()).as(outputs.toString()).isZero();
        JsonNode images = new ObjectMapper().readTree(outputs.out()).path("images");
        assertThat(images).as(outputs.out()).hasSize(2);

        Registry registry = new Registry(env);
        Map<String, String> digests = new java.util.HashMap<>();
        for (String tag : new String[] {RUN + "-plain", RUN + "-alt"}) {
            String reference = env.registry() + "/" + image + ":" + tag;
            JsonNode entry = images.findParents("reference").stream()
                    .filter(i -> i.path("reference").asText().equals(reference)).findFirst().orElseThrow(
                            () -> new AssertionError("no images entry for " + reference + " in " + outputs.out()));
            Registry.Manifest m = registry.manifest(image, tag);
            assertThat(m.status()).as(reference).isEqualTo(200);
            assertThat(m.mediaType()).isEqualTo(Registry.IMAGE);
            assertThat(entry.path("digest").asText()).as(reference).isEqualTo(m.digest());
            assertThat(entry.path("platform").asText()).isEqualTo("linux/amd64");
            digests.put(tag, m.digest());
        }
        assertThat(digests.get(RUN + "-plain")).isNotEqualTo(digests.get(RUN + "-alt"));
        return digests;
    }

    /** Pulls image@digest on engine 1 and runs {@code script} in it without a network; its last output line. */
    private static String run(String image, String digest, String script) throws Exception {
        String ref = env.registry() + "/" + image + "@" + digest;
        engine.docker("pull", ref);
        String out = engine.docker("run", "--rm", "--network", "none", ref, "sh", "-c", script);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private Path secrets() throws Exception {
        Path secrets = tmp.resolve("secrets.yaml");
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secrets, "registry_password: \"" + env.registryPassword() + "\"\n");
        return secrets;
    }

    /** A git repository with one commit holding the Dockerfile; its file:// URL. */
    private static String gitRepo(Path dir, String dockerfile) throws Exception {
        return DockerfileRepos.create(dir, dockerfile);
    }
}
