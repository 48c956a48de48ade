package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.TestEnvironment;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * image-builder-cli.sh, SODALITE's entry point, run as a real process on the packaged command line: an inputs file
 * built and pushed with the registry password read from standard input, and the usage message without one.
 */
class CliScriptIT {

    /** Unique per run: other test classes push to the same registry. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Path SCRIPT = REPO.resolve("image-builder-cli.sh");

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
        assertThat(REPO.resolve("executor/target/image-builder.jar"))
                .as("the packaged command line (mvn package)").isRegularFile();
    }

    @Test
    void anInputsFileIsBuiltAndPushedWithThePasswordFromStandardInput() throws Exception {
        String image = "tests/cli-script";
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN echo built > /built\n");
        PersonIdent author = new PersonIdent("Test Author", "author@example.org");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Dockerfile").setAuthor(author).setCommitter(author).call();
        }
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
                docker_host: %s
                ssh_private_key: %s
                known_hosts: %s
                docker_client: %s
                build_network: none
                """.formatted(repo.toUri(), image, RUN, env.registry(), env.registryUser(), env.dockerHost(1),
                env.sshKey(), env.knownHosts(), env.dockerClient()));

        Result r = run((env.registryPassword() + "\n").getBytes(StandardCharsets.UTF_8),
                inputs.toString(), "--registry-password-stdin");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Matcher pushed = Pattern.compile("(?m)^pushed " + Pattern.quote(env.registry() + "/" + image + ":" + RUN)
                + "@(sha256:[0-9a-f]{64})").matcher(r.out());
        assertThat(pushed.find()).as(r.toString()).isTrue();
        Registry.Manifest m = new Registry(env).manifest(image, RUN);
        assertThat(m.status()).isEqualTo(200);
        assertThat(pushed.group(1)).isEqualTo(m.digest());
        assertThat(r.out() + r.err()).doesNotContain(env.registryPassword());
    }

    @Test
    void withoutAnInputsFileItPrintsItsUsageAndExits2() throws Exception {
        Result r = run(new byte[0]);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("usage: image-builder-cli.sh ");
        assertThat(r.out()).isEmpty();
    }

    private record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs the script with these arguments (each passed as it is) and {@code stdin} as its standard input. */
    private Result run(byte[] stdin, String... args) throws Exception {
        CommandLine cmd = new CommandLine(SCRIPT.toFile());
        for (String a : args) cmd.addArgument(a, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(tmp.toFile()).get();
        executor.setStreamHandler(new PumpStreamHandler(out, err, new ByteArrayInputStream(stdin)));
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(Duration.ofMinutes(5)).get());
        executor.setExitValues(null);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("DOCKER_HOST");
        int exit = executor.execute(cmd, environment);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
