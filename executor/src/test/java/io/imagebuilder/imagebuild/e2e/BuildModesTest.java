package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.imagebuild.params.Target;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YamlReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example in inputs/ deployed end to end: built on the loopback engine over SSH, pushed to the
 * authenticated registry, and checked there, manifest by manifest.
 */
class BuildModesTest {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "git.yaml, docker_image_definition.yaml",
            "git-options.yaml, docker_image_definition.yaml",
            "dockerfile.yaml, docker_image_definition.yaml",
            "dockerfile-context.yaml, docker_image_definition.yaml",
            "tar.yaml, docker_image_definition.yaml",
            "local-git.yaml, docker_image_definition.yaml",
            "local-path.yaml, docker_image_definition.yaml",
            "variants.yaml, docker_image_definition.yaml",
            "multiarch.yaml, docker_image_definition.yaml",
            "multiarch-variants.yaml, docker_image_definition.yaml",
            "two-hosts.yaml, docker_image_definition.yaml",
            "secrets.yaml, docker_image_definition.yaml",
            "cache.yaml, docker_image_definition.yaml",
            "image-edit.yaml, docker_image_definition.yaml",
            "local.yaml, docker_image_definition.yaml",
            "s3.yaml, docker_image_definition.yaml",
            "layers.yaml, docker_image_definition.yaml",
            "registry-node.yaml, docker_image_with_registry.yaml"})
    void theExampleIsBuiltAndPushed(String inputs, String blueprint) throws Exception {
        Path secrets = tmp.resolve("secrets.yaml");
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secrets, "registry_password: \"" + env.registryPassword() + "\"\n");
        Path state = tmp.resolve("state");
        Cli run = Cli.run("deploy", "-i", REPO.resolve("inputs").resolve(inputs).toString(), "-i", secrets.toString(),
                "--state-dir", state.toString(), REPO.resolve("blueprints").resolve(blueprint).toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();

        Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
        assertThat(outputs.exitCode()).as(outputs.toString()).isZero();
        JsonNode images = new ObjectMapper().readTree(outputs.out()).path("images");

        Registry registry = new Registry(env);
        Target target = params(inputs).target();
        JsonNode lock = new ObjectMapper().readTree(outputs.out()).path("lock");
        for (JsonNode image : images) {
            List<JsonNode> units = new java.util.ArrayList<>();
            lock.path("units").forEach(u -> {
                if (u.path("reference").equals(image.path("reference"))
                        && u.path("platform").equals(image.path("platform"))) units.add(u);
            });
            assertThat(units).as(inputs + ": the lock's unit of " + image + " in " + lock).hasSize(1);
            assertThat(units.get(0).path("bases")).as(lock.toString()).isNotEmpty();
            if (!target.needsNoRegistry()) {
                units.get(0).path("bases").forEach(b -> assertThat(b.path("digest").asText()).as(lock.toString())
                        .matches("sha256:[0-9a-f]{64}"));
            }
        }
        if (params(inputs).source() instanceof Source.Layers layers) {
            for (Source.Layer layer : layers.layers()) {
                Registry.Manifest m = registry.manifest(layer.image(), layer.tag());
                assertThat(m.status()).as(layer.image()).isEqualTo(200);
                assertThat(images.findValuesAsText("digest")).contains(m.digest());
            }
        }
        for (ImageSpec spec : target.images()) {
            Registry.Manifest m = registry.manifest(spec.image(), spec.tag());
            if (target.needsNoRegistry()) {
                assertThat(m.status()).as(spec.reference() + " is not pushed").isEqualTo(404);
                assertThat(images.findValuesAsText("reference")).anyMatch(r -> target.keepsLocal()
                        ? r.equals(env.registry() + "/" + spec.reference())
                        : r.startsWith("s3://images/boot/" + spec.image() + "/" + spec.tag() + "/"));
                continue;
            }
            assertThat(m.status()).as(spec.reference()).isEqualTo(200);
            String reference = env.registry() + "/" + spec.reference();
            List<JsonNode> recorded = images.findParents("reference").stream()
                    .filter(i -> i.path("reference").asText().equals(reference)).toList();
            assertThat(recorded).as("images attribute for " + reference).isNotEmpty();
            if (spec.platforms().size() > 1) {
                assertThat(m.mediaType()).isEqualTo(Registry.LIST);
                Set<String> pushed = new HashSet<>();
                for (JsonNode entry : m.body().path("manifests")) {
                    JsonNode p = entry.path("platform");
                    pushed.add(p.path("os").asText() + "/" + p.path("architecture").asText());
                }
                assertThat(pushed).containsExactlyInAnyOrderElementsOf(
                        spec.platforms().stream().map(Platform::toString).toList());
                assertThat(recorded).allSatisfy(i -> assertThat(i.path("manifest_list").asText())
                        .isEqualTo(m.digest()));
            } else {
                assertThat(m.mediaType()).isEqualTo(Registry.IMAGE);
                assertThat(recorded.get(0).path("digest").asText()).isEqualTo(m.digest());
            }
        }
        // with several build hosts, every one of them built something; an image edited in its registry has none
        Set<String> hosts = params(inputs).source() instanceof Source.ImageEdit ? Set.of() : hosts(inputs);
        assertThat(new HashSet<>(images.findValuesAsText("host"))).containsExactlyInAnyOrderElementsOf(hosts);
        assertThat(state.resolve("nodes/image/source")).as("the fetched source is removed").doesNotExist();
    }

    /** The docker_host of the inputs and of each of its build_hosts. */
    private static Set<String> hosts(String inputs) throws Exception {
        YMap root = (YMap) YamlReader.read(REPO.resolve("inputs").resolve(inputs), inputs, new Problems())
                .orElseThrow();
        Set<String> hosts = new HashSet<>();
        hosts.add(String.valueOf(root.get("docker_host").toPlain()));
        if (root.get("build_hosts") != null && root.get("build_hosts").toPlain() instanceof List<?> more) {
            more.forEach(h -> hosts.add(String.valueOf(((java.util.Map<?, ?>) h).get("docker_host"))));
        }
        return hosts;
    }

    private static BuildParams params(String inputs) throws Exception {
        Problems problems = new Problems();
        YMap root = (YMap) YamlReader.read(REPO.resolve("inputs").resolve(inputs), inputs, problems).orElseThrow();
        BuildParams params = BuildParamsParser.parse(root.get("build_params"), problems);
        assertThat(problems.sorted()).isEmpty();
        return params;
    }
}
