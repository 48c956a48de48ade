package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * target.publish: local keeps the built images on the build host's engine, pushes nothing, needs no registry of its
 * own, and undeploy removes them.
 */
class LocalPublishTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void imagesStayOnTheEngineUnpushedUntilUndeployed() throws Exception {
        String tag = "t" + Long.toString(System.nanoTime(), 36);
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN echo " + tag
                + " > /tag\n");
        Engine engine = new Engine(env, 1, Engine.privateConfig(tmp));

        // with the registry named (the base image is pulled from it), for two platforms
        Path state = tmp.resolve("state");
        Cli run = build(state, context, "tests/kept", tag, "    platforms: [linux/amd64, linux/arm64]\n",
                "    registry: {url: " + q(env.registry()) + ", username: " + q(env.registryUser()) + "}\n"
                        + "registry_password: " + q(env.registryPassword()) + "\n");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("kept on the build host as").doesNotContain("The push refers to");
        String name = env.registry() + "/tests/kept:" + tag;
        Map<String, String> kept = recorded(state);
        assertThat(kept).containsOnlyKeys(name + "-linux-amd64", name + "-linux-arm64");
        for (Map.Entry<String, String> e : kept.entrySet()) {
            assertThat(engine.docker("image", "inspect", "--format", "{{.Id}} {{.Architecture}}", e.getKey()))
                    .isEqualTo(e.getValue() + " " + e.getKey().substring(e.getKey().lastIndexOf('-') + 1));
        }
        assertThat(new Registry(env).manifest("tests/kept", tag).status()).as("nothing pushed").isEqualTo(404);

        Cli undeploy = Cli.run("undeploy", "--state-dir", state.toString());
        assertThat(undeploy.exitCode()).as(undeploy.toString()).isZero();
        assertThat(engine.docker("images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain(name);

        // no registry at all: the image is named as given
        Path second = tmp.resolve("state2");
        Cli bare = build(second, context, "tests/kept-bare", tag, "", "");
        assertThat(bare.exitCode()).as(bare.toString()).isZero();
        assertThat(bare.out()).doesNotContain("logging in");
        assertThat(recorded(second)).containsOnlyKeys("tests/kept-bare:" + tag);
        assertThat(engine.docker("image", "inspect", "--format", "{{.Id}}", "tests/kept-bare:" + tag))
                .isEqualTo(recorded(second).get("tests/kept-bare:" + tag));
        assertThat(Cli.run("undeploy", "--state-dir", second.toString()).exitCode()).isZero();
    }

    private Cli build(Path state, Path context, String image, String tag, String platforms, String registry)
            throws Exception {
        Path file = tmp.resolve("build-" + state.getFileName() + ".yaml");
        Files.writeString(file, "build_params:\n  source:\n    path: " + q(context.toString()) + "\n"
                + "  target:\n    publish: local\n    images:\n      - image: " + image + "\n        tag: " + tag + "\n"
                + platforms.replace("    platforms", "        platforms")
                + registry.lines().filter(l -> l.startsWith("    registry")).map(l -> l + "\n").findFirst().orElse("")
                + BuildFiles.host(env, 1)
                + registry.lines().filter(l -> l.startsWith("registry_password")).map(l -> l + "\n").findFirst()
                .orElse(""));
        return Cli.run("build", "--state-dir", state.toString(), file.toString());
    }

    /** Each image of the images output, by reference, with its recorded digest (the image id). */
    private static Map<String, String> recorded(Path state) throws Exception {
        Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
        assertThat(outputs.exitCode()).as(outputs.toString()).isZero();
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode i : new ObjectMapper().readTree(outputs.out()).path("images").findParents("reference")) {
            assertThat(i.has("manifest_list")).isFalse();
            out.put(i.path("reference").asText(), i.path("digest").asText());
        }
        return out;
    }

    private static String q(String value) {
        return BuildFailuresTest.q(value);
    }
}
