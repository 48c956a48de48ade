package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.DockerfileRepos;
import io.imagebuilder.testenv.LeftBehind;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build command as its own process, killed with SIGKILL in the middle of a build: no shutdown hook runs, yet
 * the registry password is in no file before or after the kill, and the processes it started (the docker client, and
 * the SSH connection's session when it made the connection) and the build on the engine end with it. A connection
 * kept for later runs stays, as it is meant to.
 */
class KilledBuildTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void aKilledBuildLeavesNoCredentialsAndNoProcessesBehind() throws Exception {
        String marker = "killed-build-" + UUID.randomUUID();
        String url = DockerfileRepos.create(tmp.resolve("repo"), "FROM " + env.baseImage() + "\nRUN echo " + marker
                // the shell stays while sleep runs (it is not the last command), its $0 marking the step's processes
                + " && sh -c 'sleep 120; true' " + marker + "\n");
        Path inputs = tmp.resolve("inputs.yaml");
        Files.writeString(inputs, """
                build_params:
                  source:
                    git_repo:
                      url: %s
                  target:
                    images:
                      - image: tests/killed-build
                        tag: "1"
                    registry:
                      url: %s
                      username: %s
                docker_host: %s
                ssh_private_key: %s
                known_hosts: %s
                docker_client: %s
                build_network: none
                """.formatted(url, env.registry(), env.registryUser(), env.dockerHost(1), env.sshKey(),
                env.knownHosts(), env.dockerClient()));
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("build.log");
        Instant started = Instant.now().minusSeconds(1);
        Process build = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dimagebuilder.home=" + System.getProperty("imagebuilder.home"),
                "io.imagebuilder.cli.Main", "build",
                "--registry-password-stdin", "--state-dir", state.toString(), inputs.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            killedMidBuild(build, marker, state, log, started);
        } finally {
            build.destroyForcibly();
            // a failed check must not leave a build running for the tests after this one
            ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains(marker)
                    || c.contains(tmp.toString())).orElse(false)).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void killedMidBuild(Process build, String marker, Path state, Path log, Instant started) throws Exception {
        try (OutputStream in = build.getOutputStream()) {
            in.write((env.registryPassword() + "\n").getBytes(StandardCharsets.UTF_8));
        }

        LeftBehind.waitFor(() -> {
            assertThat(build.isAlive()).as("the build runs: %s", Files.readString(log)).isTrue();
            return Files.readString(log).contains(marker) && running(marker);
        }, "the RUN step to start", log);
        List<ProcessHandle> children = build.toHandle().descendants().toList();
        assertThat(children).extracting(h -> h.info().command().orElse(""))
                .as("the docker client runs (over an SSH connection made now, or kept from an earlier run)")
                .anyMatch(c -> c.endsWith("docker"));
        assertThat(LeftBehind.filesHoldingThePassword(env, state, started)).as("while the build runs").isEmpty();

        build.destroyForcibly();
        assertThat(build.waitFor(20, TimeUnit.SECONDS)).isTrue();

        LeftBehind.waitFor(() -> children.stream().noneMatch(ProcessHandle::isAlive), "the executor's processes to end",
                log);
        LeftBehind.waitFor(() -> !running(marker), "the engine to stop the build", log);
        assertThat(LeftBehind.filesHoldingThePassword(env, state, started)).as("after the kill").isEmpty();
        assertThat(Files.readString(log)).doesNotContain(env.registryPassword());
    }

    /** Whether a process on this machine (the loopback engines run here) is running the marked RUN step. */
    private static boolean running(String marker) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(marker));
    }
}
