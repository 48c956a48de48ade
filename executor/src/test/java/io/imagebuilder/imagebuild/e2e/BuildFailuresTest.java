package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds that fail on the loopback environment, each for one cause: the run exits 1 with a message naming the
 * node, the operation and the cause, records the node in ERROR, and leaves nothing behind (no private SSH or
 * credential directory, no fetched source, no process). Invalid build_params are refused before any work.
 */
class BuildFailuresTest {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Path BLUEPRINT = REPO.resolve("blueprints/docker_image_definition.yaml");
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    // --- failing runs -------------------------------------------------------------------------------------

    @Test
    void aWrongRegistryPasswordFailsAtTheLogin() throws Exception {
        String image = "tests/failures-password";
        Path inputs = inputs(gitSource(repo("FROM " + env.baseImage() + "\n")), image, Map.of());
        Failure f = deployFailing(inputs, secrets("not-the-password-" + System.nanoTime()));

        f.assertOperation("Standard.start");
        assertThat(f.message()).contains("logging in to " + env.registry());
        assertThat(f.message().toLowerCase()).containsAnyOf("unauthorized", "incorrect");
        assertThat(f.recordedError()).contains("logging in to " + env.registry());
        assertNotPushed(image);
    }

    @Test
    void anUnreachableBuildHostFailsWithConnectionRefused() throws Exception {
        String image = "tests/failures-unreachable";
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path inputs = inputs(gitSource(repo("FROM " + env.baseImage() + "\n")), image,
                Map.of("docker_host", "ssh://root@127.0.0.1:" + port));
        Failure f = deployFailing(inputs, secrets(env.registryPassword()));

        f.assertOperation("Standard.start");
        assertThat(f.message()).contains("127.0.0.1:" + port).contains("Connection refused");
        assertThat(f.recordedError()).contains("Connection refused");
        assertNotPushed(image);
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        String image = "tests/failures-hostkey";
        Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
        Path inputs = inputs(gitSource(repo("FROM " + env.baseImage() + "\n")), image,
                Map.of("known_hosts", empty.toString()));
        Failure f = deployFailing(inputs, secrets(env.registryPassword()));

        f.assertOperation("Standard.start");
        assertThat(f.message()).contains("Host key verification failed");
        assertThat(f.recordedError()).contains("Host key verification failed");
        assertNotPushed(image);
    }

    @Test
    void aFailingRunStepNamesTheImageAndTheStep() throws Exception {
        String image = "tests/failures-run-step";
        Path inputs = inputs(gitSource(repo("FROM " + env.baseImage() + "\nRUN echo preparing\nRUN exit 3\n")),
                image, Map.of());
        Failure f = deployFailing(inputs, secrets(env.registryPassword()));

        f.assertOperation("Standard.start");
        assertThat(f.message()).contains("building " + image + ":latest failed").contains("exit 3");
        assertThat(f.message()).containsPattern("(exit code: 3|non-zero code: 3|exit status 3)");
        assertThat(f.recordedError()).contains(image).contains("exit 3");
        assertNotPushed(image);
    }

    @Test
    void aBuildOutlastingItsOperationTimeoutIsStopped() throws Exception {
        String image = "tests/failures-timeout";
        Path inputs = inputs(gitSource(repo("FROM " + env.baseImage()
                + "\nRUN echo " + System.nanoTime() + " && sleep 240\n")), image, Map.of());
        // the blueprint, with a time limit on the image's build operation
        String blueprint = Files.readString(BLUEPRINT)
                .replace("../library/", REPO.resolve("library") + "/")
                .replace("""
                              - build_host: more-build-hosts
                        """, """
                              - build_host: more-build-hosts
                              interfaces:
                                Standard:
                                  start:
                                    implementation: { primary: "builtin:image.build-and-push", timeout: 5 }
                        """);
        assertThat(blueprint).contains("timeout: 5");
        Path template = Files.writeString(tmp.resolve("limited.yaml"), blueprint);

        Failure f = deployFailing(template, inputs, secrets(env.registryPassword()));

        f.assertOperation("Standard.start");
        assertThat(f.message()).contains("timed out after 5 s");
        assertThat(f.recordedError()).contains("timed out after 5 s");
        assertNotPushed(image);
    }

    @ParameterizedTest(name = "dockerfile {0}")
    @ValueSource(strings = {"Dockerfile", "docker/Dockerfile.prod"})
    void aRepositoryWithoutTheDockerfileFailsWhileFetching(String dockerfile) throws Exception {
        String image = "tests/failures-no-dockerfile-" + (dockerfile.equals("Dockerfile") ? "default" : "custom");
        Path repo = repo(Map.of("README.md", "no Dockerfile here\n", "docker/README.md", "nor here\n"));
        Map<String, String> git = new LinkedHashMap<>(gitSource(repo));
        if (!dockerfile.equals("Dockerfile")) git.put("dockerfile", dockerfile);
        Path inputs = inputs(git, image, Map.of());
        Failure f = deployFailing(inputs, secrets(env.registryPassword()));

        f.assertOperation("Standard.create");
        assertThat(f.message()).contains("no Dockerfile at " + dockerfile);
        assertThat(f.recordedError()).contains(dockerfile);
        assertNotPushed(image);
    }

    // --- invalid build_params: refused before any work ----------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"both-modes", "no-images", "bad-tag", "bad-platform", "workdir-escape", "ftp-url",
            "ftp-dockerfile-url"})
    void invalidBuildParamsAreRefusedBeforeAnyWork(String kind) throws Exception {
        String image = "tests/failures-invalid-" + kind;
        String repoUrl = "file://" + env.dir().resolve("repos/app.git");
        String source = "    git_repo:\n      url: " + q(repoUrl) + "\n";
        String images = "      - image: " + q(image) + "\n        tag: latest\n";
        String needle;
        String path;
        switch (kind) {
            case "both-modes" -> {
                source = "    git_repo:\n      url: " + q(repoUrl) + "\n    dockerfile:\n      url: "
                        + q(env.get("IB_TEST_EXAMPLES_HTTP") + "/no_context/Dockerfile") + "\n";
                needle = "git_repo:";
                path = "source: expected exactly one of git_repo, dockerfile, tar, path and image";
            }
            case "no-images" -> {
                images = null;
                needle = "images: []";
                path = "target.images";
            }
            case "bad-tag" -> {
                images = "      - image: " + q(image) + "\n        tag: \"bad tag\"\n";
                needle = "tag: \"bad tag\"";
                path = "target.images[0].tag";
            }
            case "bad-platform" -> {
                images = "      - image: " + q(image) + "\n        platforms: [ linux ]\n";
                needle = "platforms: [ linux ]";
                path = "target.images[0].platforms[0]";
            }
            case "workdir-escape" -> {
                source = "    git_repo:\n      url: " + q(repoUrl) + "\n      workdir: ../..\n";
                needle = "workdir: ../..";
                path = "source.git_repo.workdir";
            }
            case "ftp-url" -> {
                source = "    tar:\n      url: ftp://127.0.0.1/images/app.tar\n";
                needle = "url: ftp://";
                path = "source.tar.url";
            }
            case "ftp-dockerfile-url" -> {
                source = "    dockerfile:\n      url: ftp://127.0.0.1/no_context/Dockerfile\n";
                needle = "url: ftp://";
                path = "source.dockerfile.url";
            }
            default -> throw new IllegalArgumentException(kind);
        }
        String text = "build_params:\n  source:\n" + source + "  target:\n"
                + (images == null ? "    images: []\n" : "    images:\n" + images)
                + "    registry:\n      url: " + q(env.registry()) + "\n      username: " + q(env.registryUser()) + "\n"
                + host(Map.of());
        Path inputs = Files.writeString(tmp.resolve("inputs.yaml"), text);
        Path state = tmp.resolve("state");

        Cli run = Cli.run("deploy", "-i", inputs.toString(), "-i", secrets(env.registryPassword()).toString(),
                "--state-dir", state.toString(), BLUEPRINT.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        int line = lineOf(text, needle);
        String problem = problemLine(run.err(), inputs, line);
        assertThat(problem).as(run.toString()).isNotNull();
        assertThat(problem).contains(path);
        assertThat(run.err()).contains("nothing was run");
        assertThat(state).as("no state directory for a refused deployment").doesNotExist();
        assertNotPushed(image);
    }

    // --- the shared check of a failed run -----------------------------------------------------------------

    /** What a failed deployment printed and recorded. */
    private record Failure(Cli run, Path state, JsonNode node) {

        String message() {
            return run.out() + run.err();
        }

        String recordedError() {
            return node.path("error").asText();
        }

        void assertOperation(String operation) {
            assertThat(message()).as(run.toString()).contains("error: node \"image\", operation " + operation + ": ");
            assertThat(node.path("lastOperation").asText()).isEqualTo(operation);
        }
    }

    /** Deploys the blueprint, expects exit 1, and checks that the failure left nothing behind. */
    private Failure deployFailing(Path inputs, Path secrets) throws Exception {
        return deployFailing(BLUEPRINT, inputs, secrets);
    }

    private Failure deployFailing(Path template, Path inputs, Path secrets) throws Exception {
        Set<String> before = privateDirectories();
        Path state = tmp.resolve("state");
        Cli run = Cli.run("deploy", "-i", inputs.toString(), "-i", secrets.toString(), "--state-dir",
                state.toString(), template.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(leftPrivateDirectories(before)).as("private SSH and credential directories left in " + TMP)
                .isEmpty();
        assertThat(state.resolve("nodes/image/source")).as("the fetched source is removed").doesNotExist();
        assertThat(processesMentioning(tmp.toString())).as("processes left behind").isEmpty();

        JsonNode recorded = JSON.readTree(state.resolve("state.json").toFile());
        assertThat(recorded.path("status").asText()).isEqualTo("FAILED");
        JsonNode node = recorded.path("nodes").path("image");
        assertThat(node.path("state").asText()).isEqualTo("ERROR");
        assertThat(node.path("error").asText()).isNotBlank();
        return new Failure(run, state, node);
    }

    private static Set<String> privateDirectories() throws IOException {
        try (Stream<Path> s = Files.list(TMP)) {
            return new TreeSet<>(s.filter(p -> p.getFileName().toString().startsWith("ib-")
                    && Files.isDirectory(p)).map(Path::toString).toList());
        }
    }

    /**
     * Private directories that appeared during the run and stay. Builds of other processes on this machine create
     * them too, for as long as they run: a directory that goes away within the grace period is theirs.
     */
    private static Set<String> leftPrivateDirectories(Set<String> before) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        Set<String> left;
        do {
            left = privateDirectories();
            left.removeAll(before);
            if (left.isEmpty()) return left;
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return left;
    }

    /** Command lines of live processes (other than this JVM) that mention {@code text}; waits briefly for exits. */
    static List<String> processesMentioning(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> found;
        do {
            found = new ArrayList<>();
            long self = ProcessHandle.current().pid();
            for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
                if (p.pid() == self || !p.isAlive()) continue;
                String cmd = commandLine(p.pid());
                if (cmd != null && cmd.contains(text)) found.add(p.pid() + ": " + cmd);
            }
            if (found.isEmpty()) return found;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return found;
    }

    /** The full command line from /proc, arguments joined by blanks; null when the process is gone. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private void assertNotPushed(String image) throws Exception {
        assertThat(new Registry(env).manifest(image, "latest").status()).as(image + " in the registry")
                .isEqualTo(404);
    }

    /** The problem line "FILE:LINE:COL: ..." for the inputs file at the given line, or null. */
    private static String problemLine(String err, Path inputs, int line) {
        Pattern p = Pattern.compile("^(.*):(\\d+):(\\d+): (.*)$", Pattern.MULTILINE);
        Matcher m = p.matcher(err);
        while (m.find()) {
            boolean sameFile = m.group(1).equals(inputs.toString()) || m.group(1).endsWith("/" + inputs.getFileName())
                    || m.group(1).equals(inputs.getFileName().toString());
            if (sameFile && Integer.parseInt(m.group(2)) == line) return m.group(0);
        }
        return null;
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(needle)) return i + 1;
        throw new IllegalArgumentException(needle + " not in the inputs");
    }

    // --- inputs ---------------------------------------------------------------------------------------------

    /** A git repository holding a Dockerfile with the given text. */
    private Path repo(String dockerfile) throws Exception {
        return repo(Map.of("Dockerfile", dockerfile));
    }

    private Path repo(Map<String, String> files) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("repo"));
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path file = dir.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                git.add().addFilepattern(e.getKey()).call();
            }
            git.commit().setMessage("test source").setAuthor("test", "test@example.org")
                    .setCommitter("test", "test@example.org").setSign(false).call();
        }
        return dir;
    }

    private static Map<String, String> gitSource(Path repo) {
        return Map.of("url", "file://" + repo);
    }

    /** A second inputs file, readable only by its owner, holding the registry password. */
    private Path secrets(String password) throws IOException {
        Path file = tmp.resolve("secrets.yaml");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "registry_password: " + q(password) + "\n");
        return file;
    }

    /**
     * Inputs for a git build of one image on build host 1, with the SSH key and known_hosts copied into the
     * test's directory, so that every ssh process of the run names that directory.
     */
    private Path inputs(Map<String, String> git, String image, Map<String, String> hostOverrides) throws IOException {
        StringBuilder text = new StringBuilder("build_params:\n  source:\n    git_repo:\n");
        git.forEach((k, v) -> text.append("      ").append(k).append(": ").append(q(v)).append('\n'));
        text.append("  target:\n    images:\n      - image: ").append(q(image)).append("\n        tag: latest\n")
                .append("    registry:\n      url: ").append(q(env.registry())).append("\n      username: ")
                .append(q(env.registryUser())).append('\n');
        text.append(host(hostOverrides));
        return Files.writeString(tmp.resolve("inputs.yaml"), text);
    }

    private String host(Map<String, String> overrides) throws IOException {
        Path key = tmp.resolve("client_key");
        if (!Files.exists(key)) {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(key, Files.readAllBytes(env.sshKey()));
        }
        Path knownHosts = tmp.resolve("known_hosts");
        if (!Files.exists(knownHosts)) Files.copy(env.knownHosts(), knownHosts);
        Map<String, String> host = new LinkedHashMap<>();
        host.put("docker_host", env.dockerHost(1));
        host.put("ssh_private_key", key.toString());
        host.put("known_hosts", knownHosts.toString());
        host.put("docker_client", env.dockerClient());
        host.put("build_network", "none");
        host.putAll(overrides);
        StringBuilder text = new StringBuilder();
        host.forEach((k, v) -> text.append(k).append(": ").append(q(v)).append('\n'));
        return text.toString();
    }

    /** A YAML double-quoted scalar (JSON's string syntax is a subset of it). */
    static String q(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
