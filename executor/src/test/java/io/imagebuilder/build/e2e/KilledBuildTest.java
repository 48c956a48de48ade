package io.imagebuilder.build.e2e;

import io.imagebuilder.testenv.DockerfileRepos;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build command as its own process, killed with SIGKILL in the middle of a build: no shutdown hook runs, yet
 * the registry password is in no file before or after the kill, and the processes it started (the SSH master
 * connection, the docker client) and the build on the engine end with it.
 */
class KilledBuildTest {

    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

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

        waitFor(() -> {
            assertThat(build.isAlive()).as("the build runs: %s", Files.readString(log)).isTrue();
            return Files.readString(log).contains(marker) && running(marker);
        }, "the RUN step to start", log);
        List<ProcessHandle> children = build.toHandle().descendants().toList();
        assertThat(children).extracting(h -> h.info().command().orElse(""))
                .as("the SSH master and the docker client run").anyMatch(c -> c.endsWith("ssh"))
                .anyMatch(c -> c.endsWith("docker"));
        assertThat(filesHoldingThePassword(state, started)).as("while the build runs").isEmpty();

        build.destroyForcibly();
        assertThat(build.waitFor(20, TimeUnit.SECONDS)).isTrue();

        waitFor(() -> children.stream().noneMatch(ProcessHandle::isAlive), "the executor's processes to end", log);
        waitFor(() -> !running(marker), "the engine to stop the build", log);
        assertThat(filesHoldingThePassword(state, started)).as("after the kill").isEmpty();
        assertThat(Files.readString(log)).doesNotContain(env.registryPassword());
    }

    /** Whether a process on this machine (the loopback engines run here) is running the marked RUN step. */
    private static boolean running(String marker) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(marker));
    }

    /**
     * Regular files of the state directory, and of the temporary directory written since the build started, that
     * hold the password or the base64 of user:password (the docker client's own way of storing it).
     */
    private List<Path> filesHoldingThePassword(Path state, Instant since) throws IOException {
        String password = env.registryPassword();
        String basic = Base64.getEncoder().encodeToString((env.registryUser() + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        List<Path> found = new ArrayList<>();
        List<Path> candidates = new ArrayList<>(regularFiles(state));
        for (Path p : regularFiles(TMP)) {
            if (Files.getLastModifiedTime(p).compareTo(FileTime.from(since)) >= 0) candidates.add(p);
        }
        for (Path p : candidates) {
            if (Files.size(p) > 16 << 20) continue;
            String text;
            try {
                text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            } catch (IOException gone) {
                continue;
            }
            if (text.contains(password) || text.contains(basic)) found.add(p);
        }
        return found;
    }

    /** FIFOs and sockets are skipped: reading a FIFO would wait for a writer. */
    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile()) out.add(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, String what, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + "; log:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }
}
