package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import io.imagebuilder.util.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images described as layers (OpenCHAMI's way) on the loopback engine: an apt layer installs a package from a local
 * repository made here with dpkg-deb and dpkg-scanpackages (no network), a second layer is built on the first as
 * pushed, and the result runs with both.
 */
class LayersTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void anAptLayerFromALocalRepositoryAndALayerOnItAreBuiltPushedAndRun() throws Exception {
        String tag = "t" + Long.toString(System.nanoTime(), 36);
        Path repo = aptRepository("ib-hello-" + tag.substring(1));
        Path playbook = Files.writeString(tmp.resolve("site.yml"), """
                - hosts: compute
                  gather_facts: false
                  tasks:
                    - name: the node's role
                      ansible.builtin.lineinfile:
                        path: /etc/layers.out
                        line: "ansible layer on {{ inventory_hostname is match('image-builder-layer-') }}"
                """);
        Path file = tmp.resolve("build.yaml");
        Files.writeString(file, """
                build_params:
                  layers:
                    - name: base
                      image: tests/layer-base
                      tag: %1$s
                      base:
                        parent: %2$s
                        package_manager: apt
                        repositories: [%3$s]
                        packages: [ib-hello-%4$s]
                        commands: ["ib-hello > /etc/layers.out"]
                    - name: site
                      image: tests/layer-site
                      tag: %1$s
                      base:
                        parent: base
                        commands: ["echo site layer >> /etc/layers.out"]
                    - name: configured
                      image: tests/layer-configured
                      tag: %1$s
                      ansible:
                        parent: site
                        playbook: %7$s
                        groups: [compute]
                  target:
                    registry: {url: %5$s, username: %6$s}
                """.formatted(tag, q(env.debianImage()), q(repo.toString()), tag.substring(1), q(env.registry()),
                q(env.registryUser()), q(playbook.toString())) + BuildFiles.host(env, 1) + BuildFiles.registryPassword(env));

        Path lockFile = tmp.resolve("layers.lock.json");
        Cli run = Cli.run("build", "--state-dir", tmp.resolve("state").toString(), "--lock-file",
                lockFile.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Registry registry = new Registry(env);
        assertThat(registry.manifest("tests/layer-base", tag).status()).isEqualTo(200);
        assertThat(registry.manifest("tests/layer-site", tag).status()).isEqualTo(200);
        Engine engine = new Engine(env, 2, Engine.privateConfig(tmp));
        String site = env.registry() + "/tests/layer-configured:" + tag;
        engine.docker("pull", site);
        assertThat(engine.docker("run", "--rm", "--network", "none", site, "cat", "/etc/layers.out"))
                .isEqualTo("hello from a local apt repository\nsite layer\nansible layer on True");
        assertThat(run.out()).as("the playbook's own output").contains("TASK [the node's role]");
        // the engine's BuildKit (20.10) leaves empty mount points behind, and nothing in them
        assertThat(engine.docker("run", "--rm", "--network", "none", site, "sh", "-c",
                "ls /etc/apt/sources.list.d/; find /run/image-builder /var/lib/apt/lists -type f | wc -l"))
                .as("neither the local repository nor its sources line nor package lists are kept")
                .doesNotContain("image-builder-local.list").isEqualTo("0");
    }

    /**
     * The lock of layers: a unit per layer on its parent (the first on the image named, each other on the layer
     * before it, as pushed), the playbook by its hash, and provenance and an SBOM beside each layer. Held to it,
     * the image named is pinned by digest, and what the cached layers make again is what the lock records.
     */
    @Test
    void layersAreLockedAttestedAndRebuiltFromTheirLock() throws Exception {
        String tag = "l" + Long.toString(System.nanoTime(), 36);
        Path playbook = Files.writeString(tmp.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.copy: {dest: /etc/site.out, content: "site\\n"}
                """);
        Path file = tmp.resolve("build.yaml");
        Files.writeString(file, """
                build_params:
                  layers:
                    - name: base
                      image: tests/lock-layer-base
                      tag: %1$s
                      base:
                        parent: %2$s
                        commands: ["echo base > /etc/base.out"]
                    - name: site
                      image: tests/lock-layer-site
                      tag: %1$s
                      ansible:
                        parent: base
                        playbook: %5$s
                  target:
                    registry: {url: %3$s, username: %4$s}
                """.formatted(tag, q(env.debianImage()), q(env.registry()), q(env.registryUser()),
                q(playbook.toString())) + BuildFiles.host(env, 1) + BuildFiles.registryPassword(env));
        Path lockFile = tmp.resolve("layers.lock.json");

        Cli run = Cli.run("build", "--lock-file", lockFile.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode lock = new ObjectMapper().readTree(lockFile.toFile());
        String baseLayer = env.registry() + "/tests/lock-layer-base:" + tag;
        String siteLayer = env.registry() + "/tests/lock-layer-site:" + tag;
        assertThat(lock.path("units").findValuesAsText("reference")).containsExactly(baseLayer, siteLayer);
        JsonNode first = lock.path("units").get(0).path("bases").get(0);
        assertThat(first.path("image").asText()).isEqualTo(env.debianImage());
        assertThat(first.path("digest").asText()).matches("sha256:[0-9a-f]{64}");
        JsonNode second = lock.path("units").get(1).path("bases").get(0);
        Registry registry = new Registry(env);
        assertThat(second.path("image").asText()).isEqualTo(baseLayer);
        assertThat(second.path("digest").asText()).isEqualTo(registry.manifest("tests/lock-layer-base", tag)
                .digest());
        assertThat(lock.path("materials").get(0).path("field").asText()).isEqualTo("layers[1].ansible.playbook");
        assertThat(lock.path("materials").get(0).path("sha256").asText()).isEqualTo(Digests.sha256(playbook));
        for (String repository : List.of("tests/lock-layer-base", "tests/lock-layer-site")) {
            String hex = registry.manifest(repository, tag).digest().substring("sha256:".length());
            assertThat(registry.manifest(repository, "sha256-" + hex + ".att").status()).as(repository)
                    .isEqualTo(200);
            assertThat(registry.manifest(repository, "sha256-" + hex + ".sbom").status()).as(repository)
                    .isEqualTo(200);
        }

        Path again = tmp.resolve("again.lock.json");
        Cli held = Cli.run("build", "--locked", lockFile.toString(), "--lock-file", again.toString(),
                file.toString());

        assertThat(held.exitCode()).as(held.toString()).isZero();
        assertThat(held.out()).contains(env.debianImage() + " held at ").doesNotContain(baseLayer + " held at");
        JsonNode rebuilt = new ObjectMapper().readTree(again.toFile());
        assertThat(rebuilt.path("units").get(0)).as("the first layer, cached, on the pinned image")
                .isEqualTo(lock.path("units").get(0));
        assertThat(rebuilt.path("units").get(1).path("bases").get(0).path("digest").asText())
                .as("the playbook's layer on the first layer as made again")
                .isEqualTo(registry.manifest("tests/lock-layer-base", tag).digest());

        Files.writeString(playbook, "- hosts: all\n  gather_facts: false\n  tasks: []\n");
        Cli changed = Cli.run("build", "--locked", lockFile.toString(), file.toString());
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
        assertThat(changed.out() + changed.err()).contains("layer site: layers[1].ansible.playbook " + playbook
                + " is not what the lock records");
    }

    /** A flat apt repository holding one package whose program prints a greeting. */
    private Path aptRepository(String name) throws Exception {
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        Files.createDirectories(pkg.resolve("DEBIAN"));
        Files.writeString(pkg.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: tests <tests@example.org>\nDescription: a greeting\n");
        Path bin = Files.createDirectories(pkg.resolve("usr/bin"));
        Files.writeString(bin.resolve("ib-hello"), "#!/bin/sh\necho hello from a local apt repository\n");
        Files.setPosixFilePermissions(bin.resolve("ib-hello"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        run(tmp, "dpkg-deb", "--root-owner-group", "--build", pkg.toString(), repo.resolve(name + "_1.0_all.deb")
                .toString());
        String packages = run(repo, "dpkg-scanpackages", ".");
        Files.writeString(repo.resolve("Packages"), packages + "\n");
        return repo;
    }

    private static String run(Path dir, String... command) throws Exception {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        ProcessResult r = ProcessRunner.run(ProcessRunner.command(command[0], List.of(command).subList(1,
                command.length)), Map.of("PATH", System.getenv("PATH")), dir, null, out::add, err::add,
                Duration.ofMinutes(1), null);
        assertThat(r.succeeded()).as(String.join(" ", command) + ": " + err).isTrue();
        return String.join("\n", out);
    }

    private static String q(String value) {
        return BuildFailuresTest.q(value);
    }
}
