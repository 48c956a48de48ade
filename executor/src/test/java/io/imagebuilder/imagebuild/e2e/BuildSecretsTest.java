package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry password of a real build never shows up where others can read it: not on any process's command
 * line or in the environment of the processes the build starts, not in the state directory (logs, state,
 * recorded inputs), and not in what the run prints.
 */
class BuildSecretsTest {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Path BLUEPRINT = REPO.resolve("blueprints/docker_image_definition.yaml");

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void deployWithThePasswordInASeparateInputsFile() throws Exception {
        String password = env.registryPassword();
        String image = "tests/secrets-deploy";
        Path inputs = Files.writeString(tmp.resolve("inputs.yaml"), buildParams(image, null) + host());
        Path secrets = privateFile("secrets.yaml", "registry_password: " + BuildFailuresTest.q(password) + "\n");
        Path state = tmp.resolve("state");

        Watched w = watched(() -> Cli.run("deploy", "-i", inputs.toString(), "-i", secrets.toString(),
                "--state-dir", state.toString(), BLUEPRINT.toString()));

        assertThat(w.run.exitCode()).as(w.run.toString()).isZero();
        assertNoLeak(w, state, password);
        assertThat(Files.readString(state.resolve("state.json"))).as("inputs files are named, not copied")
                .contains(secrets.toString());
        assertPushed(image);
    }

    @Test
    void buildWithTheRegistryPasswordInputInTheBuildFile() throws Exception {
        String password = env.registryPassword();
        String image = "tests/secrets-build-input";
        Path file = privateFile("build.yaml", buildParams(image, null) + host()
                + "registry_password: " + BuildFailuresTest.q(password) + "\n");
        Path state = tmp.resolve("state");

        Watched w = watched(() -> Cli.run("build", "--state-dir", state.toString(), file.toString()));

        assertThat(w.run.exitCode()).as(w.run.toString()).isZero();
        assertNoLeak(w, state, password);
        assertRecordedInputsMasked(state, "registry_password: '****'");
        assertPushed(image);
    }

    @Test
    void buildWithThePasswordInsideBuildParams() throws Exception {
        String password = env.registryPassword();
        String image = "tests/secrets-build-inline";
        Path file = privateFile("build.yaml", buildParams(image, password) + host());
        Path state = tmp.resolve("state");

        Watched w = watched(() -> Cli.run("build", "--state-dir", state.toString(), file.toString()));

        assertThat(w.run.exitCode()).as(w.run.toString()).isZero();
        assertNoLeak(w, state, password);
        assertRecordedInputsMasked(state, "password: '****'");
        assertPushed(image);
    }

    // --- checks ---------------------------------------------------------------------------------------------

    private void assertNoLeak(Watched w, Path state, String password) throws IOException {
        assertThat(password).as("a password long enough to be searched for").hasSizeGreaterThanOrEqualTo(8);
        String basicAuth = Base64.getEncoder().encodeToString((env.registryUser() + ":" + password)
                .getBytes(StandardCharsets.UTF_8));

        // the watcher did see the build: the docker client's build command ran for several seconds
        assertThat(w.commandLines).as("command lines seen during the build")
                .anyMatch(c -> c.contains(" build ") && c.contains("--file"));
        List<String> leaking = w.commandLines.stream().filter(c -> c.contains(password)).map(c -> masked(c, password))
                .toList();
        assertThat(leaking).as("command lines holding the registry password").isEmpty();
        assertThat(w.environments).as("environments of the processes the build started").isNotEmpty();
        List<String> leakingEnv = w.environments.stream().filter(e -> e.contains(password) || e.contains(basicAuth))
                .map(e -> masked(e, password)).toList();
        assertThat(leakingEnv).as("process environments holding the registry password").isEmpty();

        assertThat(w.run.out()).as("standard output").doesNotContain(password).doesNotContain(basicAuth);
        assertThat(w.run.err()).as("standard error").doesNotContain(password).doesNotContain(basicAuth);

        List<Path> files;
        try (Stream<Path> s = Files.walk(state)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files in the state directory").isNotEmpty();
        assertThat(files).anyMatch(f -> f.toString().contains("logs"));
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] auth = basicAuth.getBytes(StandardCharsets.UTF_8);
        List<Path> holding = new ArrayList<>();
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            if (indexOf(content, secret) >= 0 || indexOf(content, auth) >= 0) holding.add(f);
        }
        assertThat(holding).as("state files holding the registry password").isEmpty();
        assertThat(state.resolve("nodes/image/source")).as("the fetched source is removed").doesNotExist();
    }

    private static void assertRecordedInputsMasked(Path state, String line) throws IOException {
        Path recorded = state.resolve("inputs.yaml");
        if (!Files.exists(recorded)) return; // not recorded at all: nothing to mask
        assertThat(Files.readString(recorded)).as("recorded inputs").contains(line);
    }

    private void assertPushed(String image) throws Exception {
        assertThat(new Registry(env).manifest(image, "latest").status()).as(image + " in the registry").isEqualTo(200);
    }

    private static String masked(String text, String password) {
        return text.replace(password, "<the registry password>");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    // --- watching processes ---------------------------------------------------------------------------------

    /** A run, with every command line seen on the machine while it ran and the environments of its children. */
    private record Watched(Cli run, Set<String> commandLines, Set<String> environments) {
    }

    private interface Run {
        Cli call() throws Exception;
    }

    /** Runs {@code run} while a watcher records, every 50 ms, the command lines of all processes. */
    private static Watched watched(Run run) throws Exception {
        Set<String> commandLines = ConcurrentHashMap.newKeySet();
        Set<String> environments = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                ProcessHandle.allProcesses().forEach(p -> {
                    String cmd = BuildFailuresTest.commandLine(p.pid());
                    if (cmd != null && !cmd.isEmpty()) commandLines.add(cmd);
                });
                ProcessHandle.current().descendants().forEach(p -> {
                    String e = environment(p.pid());
                    if (e != null) environments.add(e);
                });
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "process-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Cli result;
        try {
            result = run.call();
        } finally {
            done.set(true);
            watcher.join(10_000);
        }
        return new Watched(result, commandLines, environments);
    }

    private static String environment(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', '\n');
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    // --- inputs ---------------------------------------------------------------------------------------------

    /** A git repository whose build lasts a few seconds and is never served from the cache. */
    private Path repo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + env.baseImage() + "\n"
                + "RUN echo " + System.nanoTime() + " > /built && sleep 3\n");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("Dockerfile").call();
            git.commit().setMessage("slow build").setAuthor("test", "test@example.org")
                    .setCommitter("test", "test@example.org").setSign(false).call();
        }
        return dir;
    }

    /** build_params for one image from a fresh repository; {@code password} inline, or null for none. */
    private String buildParams(String image, String password) throws Exception {
        return "build_params:\n  source:\n    git_repo:\n      url: " + BuildFailuresTest.q("file://" + repo()) + "\n"
                + "  target:\n    images:\n      - image: " + BuildFailuresTest.q(image) + "\n        tag: latest\n"
                + "    registry:\n      url: " + BuildFailuresTest.q(env.registry()) + "\n      username: "
                + BuildFailuresTest.q(env.registryUser()) + "\n"
                + (password == null ? "" : "      password: " + BuildFailuresTest.q(password) + "\n");
    }

    private String host() {
        return BuildFiles.host(env, 1);
    }

    /** A file only its owner may read, as files holding secrets are. */
    private Path privateFile(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
        return file;
    }
}
