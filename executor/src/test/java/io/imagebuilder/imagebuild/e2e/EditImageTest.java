package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An image edited in the registry without a Docker engine (source.image): the build host named beside it is not
 * even reachable. Every platform of the multi-platform base is kept, each gets the added layer and the new
 * configuration, and the result runs on a real engine.
 */
class EditImageTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void filesAndConfigurationAreAddedToEveryPlatformWithoutAnEngine() throws Exception {
        String tag = "t" + Long.toString(System.nanoTime(), 36);
        Path script = Files.writeString(tmp.resolve("hello.sh"), "#!/bin/sh\necho \"$GREETING from $(pwd) as $(id -u)\"\n");
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "data file\n");
        Path file = tmp.resolve("build.yaml");
        Files.writeString(file, """
                build_params:
                  source:
                    image: %s
                    add:
                      - {src: %s, dest: /usr/local/bin/hello.sh, mode: "0755"}
                      - {src: %s, dest: /srv/data}
                    config:
                      env: {GREETING: edited}
                      entrypoint: [/usr/local/bin/hello.sh]
                      labels: {org.opencontainers.image.title: edited}
                      user: "1000"
                      workdir: /srv
                  target:
                    images:
                      - {image: tests/edited, tag: %s}
                    registry: {url: %s, username: %s}
                docker_host: ssh://root@127.0.0.1:1
                registry_password: %s
                """.formatted(q(env.baseImage()), q(script.toString()), q(data.toString()), tag, q(env.registry()),
                q(env.registryUser()), q(env.registryPassword())));
        Path state = tmp.resolve("state");

        Cli run = Cli.run("build", "--state-dir", state.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("without an engine").doesNotContain("connecting to");
        Registry registry = new Registry(env);
        Registry.Manifest list = registry.manifest("tests/edited", tag);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().has("manifests")).as("a manifest list: " + list.body()).isTrue();
        Map<String, String> platforms = new LinkedHashMap<>();
        for (JsonNode m : list.body().path("manifests")) {
            platforms.put(m.path("platform").path("os").asText() + "/" + m.path("platform").path("architecture")
                    .asText(), m.path("digest").asText());
        }
        assertThat(platforms).containsOnlyKeys("linux/amd64", "linux/arm64");

        Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
        JsonNode images = new ObjectMapper().readTree(outputs.out()).path("images");
        List<String> recorded = new ArrayList<>();
        images.findParents("reference").forEach(i -> {
            recorded.add(i.path("platform").asText() + "=" + i.path("digest").asText());
            assertThat(i.path("manifest_list").asText()).isEqualTo(list.digest());
        });
        List<String> expected = new ArrayList<>();
        platforms.forEach((p, d) -> expected.add(p + "=" + d));
        assertThat(recorded).as(outputs.toString()).containsExactlyInAnyOrderElementsOf(expected);

        for (String digest : platforms.values()) {
            JsonNode manifest = registry.manifest("tests/edited", digest).body();
            JsonNode config = new ObjectMapper().readTree(registry.blob("tests/edited",
                    manifest.path("config").path("digest").asText())).path("config");
            assertThat(config.path("Env").toString()).contains("GREETING=edited").contains("PATH=");
            assertThat(config.path("Entrypoint").toString()).isEqualTo("[\"/usr/local/bin/hello.sh\"]");
            assertThat(config.path("User").asText()).isEqualTo("1000");
            assertThat(config.path("WorkingDir").asText()).isEqualTo("/srv");
            assertThat(config.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("edited");
            JsonNode layers = manifest.path("layers");
            Map<String, Integer> modes = entries(registry.blob("tests/edited",
                    layers.get(layers.size() - 1).path("digest").asText()));
            assertThat(modes).containsEntry("usr/local/bin/hello.sh", 0755).containsKey("srv/data/a.txt");
        }

        Engine engine = new Engine(env, 1, Engine.privateConfig(tmp));
        assertThat(engine.docker("run", "--rm", "--network", "none", env.registry() + "/tests/edited:" + tag))
                .contains("edited from /srv as 1000");
    }

    @Test
    void aMissingFileIsRefusedAtItsPlaceBeforeAnythingIsPushed() throws Exception {
        Path file = tmp.resolve("build.yaml");
        Files.writeString(file, """
                build_params:
                  source:
                    image: %s
                    add:
                      - {src: /no/such/file, dest: /x}
                  target:
                    images: [{image: tests/edited-missing, tag: latest}]
                    registry: {url: %s, username: builder}
                """.formatted(q(env.baseImage()), q(env.registry())));
        Cli run = Cli.run("build", "--state-dir", tmp.resolve("state").toString(), file.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":5:").contains("source.add[0].src: /no/such/file does not exist");
        assertThat(new Registry(env).manifest("tests/edited-missing", "latest").status()).isEqualTo(404);
    }

    /** Each path in a gzipped layer with its mode. */
    private static Map<String, Integer> entries(byte[] gz) throws Exception {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gz)),
                StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName().replaceFirst("^/", ""), e.getMode() & 07777);
            }
        }
        return out;
    }

    private static String q(String value) {
        return BuildFailuresTest.q(value);
    }
}
