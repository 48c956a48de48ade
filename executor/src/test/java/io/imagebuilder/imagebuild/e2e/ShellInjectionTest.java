package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shell metacharacters in every string of build_params and of the build host inputs are data, never commands.
 * Each payload tries to create a marker file, by absolute path in this test's directory and by relative path in
 * the working directory of whatever shell would run it; after every run no marker may exist. Most payloads are
 * refused by validation; those in values that are legal anyway (build argument values, labels, repository
 * credentials, a branch name) go through a real build and reach the image verbatim.
 */
class ShellInjectionTest {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Path BLUEPRINT = REPO.resolve("blueprints/docker_image_definition.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("MARK\\d+");

    /** Shell payloads; %s is replaced by the files to touch. */
    private static final List<String> PAYLOADS = List.of("$(touch %s)", "`touch %s`", "; touch %s", "| touch %s",
            "&& touch %s", "' ; touch %s ; '", "\" ; touch %s ; \"", "\ntouch %s");
    /** The same without blanks, for values that refuse whitespace (URLs, addresses); %s as above. */
    private static final List<String> COMPACT = List.of("$(touch${IFS}%s)", "`touch${IFS}%s`", ";touch${IFS}%s",
            "|touch${IFS}%s", "&&touch${IFS}%s");

    private static TestEnvironment env;
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    static Path tmp;
    private static Path marks;
    private static Path repo;
    private static Path secrets;

    @BeforeAll
    static void setUp() throws Exception {
        env = TestEnvironment.load();
        marks = Files.createDirectories(tmp.resolve("marks"));
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("Dockerfile"), "FROM " + env.baseImage() + "\n"
                + "ARG V1\n"
                + "LABEL test.arg=\"$V1\"\n"
                + "RUN echo \"built with V1=$V1\" > /v1\n");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("Dockerfile").call();
            git.commit().setMessage("source").setAuthor("test", "test@example.org")
                    .setCommitter("test", "test@example.org").setSign(false).call();
        }
        secrets = tmp.resolve("secrets.yaml");
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secrets, "registry_password: " + JSON.writeValueAsString(env.registryPassword()) + "\n");
    }

    @AfterAll
    static void noMarkerAnywhere() throws IOException {
        assertThat(markers()).as("marker files created by an injected command").isEmpty();
    }

    // --- every field, one payload at a time ----------------------------------------------------------------

    /** A place for a payload: the document it goes into, and how it is put there. */
    private record Field(String name, Supplier<Map<String, Object>> document, BiConsumer<Map<String, Object>, String> put,
                         boolean compact, String reached) {
    }

    private static List<Field> fields() {
        String repoUrl = "file://" + repo;
        String http = env.get("IB_TEST_EXAMPLES_HTTP");
        String contextRepo = "file://" + env.dir().resolve("repos/context.git");
        String contextDir = env.dir().resolve("context/app").toString();
        List<Field> f = new ArrayList<>();
        f.add(at("source.git_repo.url", ShellInjectionTest::git, "build_params.source.git_repo.url", repoUrl, true));
        f.add(at("source.git_repo.version", ShellInjectionTest::git, "build_params.source.git_repo.version", "main",
                false));
        f.add(at("source.git_repo.workdir", ShellInjectionTest::git, "build_params.source.git_repo.workdir", ".",
                false));
        f.add(at("source.git_repo.dockerfile", ShellInjectionTest::git, "build_params.source.git_repo.dockerfile",
                "Dockerfile", false));
        f.add(at("source.dockerfile.url", ShellInjectionTest::dockerfileWithGitContext,
                "build_params.source.dockerfile.url", http + "/context/Dockerfile", true));
        f.add(at("source.build_context.url", ShellInjectionTest::dockerfileWithGitContext,
                "build_params.source.build_context.url", contextRepo, true));
        f.add(at("source.build_context.subdir", ShellInjectionTest::dockerfileWithGitContext,
                "build_params.source.build_context.subdir", "app", false));
        f.add(at("source.build_context.path", ShellInjectionTest::dockerfileWithLocalContext,
                "build_params.source.build_context.path", contextDir, false));
        f.add(at("source.tar.url", ShellInjectionTest::tarUrl, "build_params.source.tar.url",
                http + "/images/app.tar", true));
        f.add(at("source.tar.path", ShellInjectionTest::tarPath, "build_params.source.tar.path",
                tmp.resolve("app.tar").toString(), false));
        f.add(at("source.path", ShellInjectionTest::localPath, "build_params.source.path", contextDir, false));
        f.add(at("target.registry.url", ShellInjectionTest::git, "build_params.target.registry.url", env.registry(),
                true));
        f.add(new Field("target.registry.username", ShellInjectionTest::git,
                (d, p) -> put(d, "build_params.target.registry.username", env.registryUser() + p), false,
                "logging in to " + env.registry()));
        f.add(new Field("target.registry.password", ShellInjectionTest::git,
                (d, p) -> put(d, "build_params.target.registry.password", p), false,
                "logging in to " + env.registry()));
        f.add(at("target.images[0].image", ShellInjectionTest::git, "build_params.target.images[0].image",
                "tests/injection", true));
        f.add(at("target.images[0].tag", ShellInjectionTest::git, "build_params.target.images[0].tag", "latest",
                true));
        f.add(at("target.images[0].base", ShellInjectionTest::git, "build_params.target.images[0].base",
                env.baseImage(), true));
        f.add(new Field("target.images[0].platforms", ShellInjectionTest::git,
                (d, p) -> put(d, "build_params.target.images[0].platforms", List.of("linux/amd64" + p)), true, null));
        f.add(new Field("labels (names)", ShellInjectionTest::git,
                (d, p) -> put(d, "build_params.labels", Map.of("test" + p, "value")), false, "building"));
        f.add(new Field("build_args (names)", ShellInjectionTest::git,
                (d, p) -> put(d, "build_params.build_args", Map.of("X" + p, "value")), true, "building"));
        f.add(at("docker_host", ShellInjectionTest::git, "docker_host", env.dockerHost(1), true));
        f.add(at("ssh_private_key", ShellInjectionTest::git, "ssh_private_key", env.sshKey().toString(), false));
        f.add(at("known_hosts", ShellInjectionTest::git, "known_hosts", env.knownHosts().toString(), false));
        f.add(at("docker_client", ShellInjectionTest::git, "docker_client", env.dockerClient(), false));
        f.add(new Field("build_network", ShellInjectionTest::git, (d, p) -> put(d, "build_network", "none" + p), false,
                "building"));
        return f;
    }

    private static Field at(String name, Supplier<Map<String, Object>> document, String path, String base,
                            boolean compact) {
        return new Field(name, document, (d, p) -> put(d, path, base + p), compact, null);
    }

    /**
     * Every field gets every payload, appended to a value that is valid on its own. Repository credentials,
     * build argument values and label values are legal with any content and go through whole builds
     * in {@link #legalPayloadsAreBuiltVerbatim()}.
     */
    @TestFactory
    Stream<DynamicTest> everyFieldTreatsPayloadsAsData() {
        return fields().stream().map(field -> DynamicTest.dynamicTest(field.name(), () -> {
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < PAYLOADS.size(); i++) payloads.add(payload(PAYLOADS.get(i), i + 1));
            if (field.compact()) {
                for (int i = 0; i < COMPACT.size(); i++) payloads.add(compact(COMPACT.get(i), PAYLOADS.size() + i + 1));
            }
            for (String payload : payloads) {
                Map<String, Object> doc = field.document().get();
                field.put().accept(doc, payload);
                Cli run = deploy(doc, field.name() + " = " + JSON.writeValueAsString(payload));
                if (field.reached() != null && run.exitCode() == 2) {
                    assertThat(run.err()).as("refused before anything ran").contains("nothing was run");
                } else if (field.reached() != null) {
                    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
                    assertThat(run.out() + run.err()).as("the payload reached the run as data")
                            .contains(field.reached());
                }
            }
        }));
    }

    /** An SSH user that looks like an option must not turn into one (ssh -oProxyCommand=...). */
    @Test
    void anOptionLikeSshUserIsNoOption() throws Exception {
        String command = "touch " + marks.resolve("MARK20") + " MARK20";
        String user = URLEncoder.encode("-oProxyCommand=" + command, StandardCharsets.UTF_8).replace("+", "%20");
        Map<String, Object> doc = git();
        put(doc, "docker_host", "ssh://" + user + "@127.0.0.1:" + port(env.dockerHost(1)));
        Cli run = deploy(doc, "docker_host with an option-like user");
        assertThat(run.exitCode()).as(run.toString()).isIn(1, 2);
        assertThat(run.out() + run.err()).as("refused before ssh runs").doesNotContain("cannot connect")
                .contains("must not begin with \"-\"");

        Map<String, Object> gitDoc = git();
        put(gitDoc, "build_params.source.git_repo.url", "ssh://-oProxyCommand=touch${IFS}" + marks.resolve("MARK21")
                + "@127.0.0.1:" + port(env.dockerHost(1)) + "/repo.git");
        run = deploy(gitDoc, "git url with an option-like user");
        assertThat(run.exitCode()).as(run.toString()).isIn(1, 2);
    }

    /**
     * The SSH key and known_hosts in a directory whose name holds blanks, both kinds of quotes, a backslash, a
     * %-token and a payload: ssh gets the files exactly as named, and the build succeeds.
     */
    @Test
    void buildHostFilesAreUsedAsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("keys 'q' \"dq\" \\b 100%d %% $(touch "
                + marks.resolve("MARK30").toString().replace('/', '_') + " MARK30)"));
        Path key = dir.resolve("client key");
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(key, Files.readAllBytes(env.sshKey()));
        Path knownHosts = Files.copy(env.knownHosts(), dir.resolve("known \"hosts\""));

        Map<String, Object> doc = git();
        put(doc, "build_params.target.images[0].image", "tests/injection-host-files");
        put(doc, "ssh_private_key", key.toString());
        put(doc, "known_hosts", knownHosts.toString());
        Cli run = deploy(doc, "build host files with metacharacters in their paths");
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    // --- legal payloads: a real build ----------------------------------------------------------------------

    /**
     * Payloads in values that may hold anything: the branch to check out (a legal git ref name carrying a
     * payload), repository credentials, build argument names and values, label names and values. The build
     * succeeds and the labels in the pushed image hold the payloads exactly.
     */
    @Test
    void legalPayloadsAreBuiltVerbatim() throws Exception {
        String image = "tests/injection-legal";
        for (int i = 0; i < PAYLOADS.size(); i++) {
            int n = i + 1;
            String payload = payload(PAYLOADS.get(i), n);
            String branch = "feat" + payload.replace("\n", "").replace(" ", "${IFS}");
            assertThat(Repository.isValidRefName("refs/heads/" + branch)).as(branch).isTrue();
            try (Git git = Git.open(repo.toFile())) {
                git.branchCreate().setName(branch).setStartPoint("main").call();
            }
            String labelName = "test." + payload.replace("\n", "").replace(" ", "${IFS}");

            Map<String, Object> doc = git();
            put(doc, "build_params.source.git_repo.version", branch);
            // a user name holds no line break (RFC 7617)
            put(doc, "build_params.source.git_repo.username", payload.replace("\n", " "));
            put(doc, "build_params.source.git_repo.password", payload);
            put(doc, "build_params.target.images[0].image", image);
            put(doc, "build_params.target.images[0].tag", "p" + n);
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("V1", payload);
            put(doc, "build_params.build_args", args);
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put("test.payload", payload);
            labels.put(labelName, "name");
            put(doc, "build_params.labels", labels);

            Cli run = deploy(doc, "legal payload " + n);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("checked out commit").contains("version " + branch);

            JsonNode pushed = imageLabels(image, "p" + n);
            assertThat(pushed.path("test.payload").asText()).isEqualTo(payload);
            assertThat(pushed.path("test.arg").asText()).as("the build argument, through LABEL").isEqualTo(payload);
            assertThat(pushed.path(labelName).asText()).isEqualTo("name");
        }
    }

    // --- running and checking -------------------------------------------------------------------------------

    private static Cli deploy(Map<String, Object> doc, String what) throws Exception {
        int n = RUNS.incrementAndGet();
        // JSON is YAML: every string goes in double-quoted, escapes and all
        Path inputs = Files.writeString(tmp.resolve("inputs-" + n + ".yaml"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        Cli run = Cli.run("deploy", "-i", inputs.toString(), "-i", secrets.toString(), "--state-dir",
                tmp.resolve("state-" + n).toString(), BLUEPRINT.toString());
        assertThat(run.exitCode()).as(what + "\n" + run).isIn(0, 1, 2);
        assertThat(markers()).as("marker files after " + what + "\n" + run).isEmpty();
        return run;
    }

    /**
     * Marker files anywhere under this test's directory (git metadata aside: branch names carrying payloads are
     * stored as files there), and in the places a relative path would land: the working directory, the home
     * directory (where a remote shell starts), the temporary directory and the root.
     */
    private static List<Path> markers() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.filter(p -> !p.toString().contains("/.git/") && MARKER.matcher(p.getFileName().toString()).matches())
                    .forEach(found::add);
        }
        for (String dir : List.of(System.getProperty("user.dir"), System.getProperty("user.home"),
                System.getProperty("java.io.tmpdir"), "/")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> MARKER.matcher(p.getFileName().toString()).matches()).forEach(found::add);
            }
        }
        return found;
    }

    /** A payload touching MARKn in the markers directory and, relative, wherever it runs. */
    private static String payload(String template, int n) {
        return template.replace("%s", marks.resolve("MARK" + n) + " MARK" + n);
    }

    private static String compact(String template, int n) {
        return template.replace("%s", marks.resolve("MARK" + n) + "${IFS}MARK" + n);
    }

    /** The labels of a pushed image, read from its configuration blob in the registry. */
    private static JsonNode imageLabels(String repository, String tag) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((env.registryUser() + ":" + env.registryPassword())
                .getBytes(StandardCharsets.UTF_8));
        String base = "http://" + env.registry() + "/v2/" + repository;
        HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(URI.create(base + "/manifests/" + tag))
                .header("Authorization", auth).header("Accept", Registry.IMAGE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(manifest.statusCode()).as(repository + ":" + tag).isEqualTo(200);
        String config = JSON.readTree(manifest.body()).path("config").path("digest").asText();
        HttpResponse<String> blob = http.send(HttpRequest.newBuilder(URI.create(base + "/blobs/" + config))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(blob.statusCode()).isEqualTo(200);
        return JSON.readTree(blob.body()).path("config").path("Labels");
    }

    private static int port(String dockerHost) {
        Matcher m = Pattern.compile(":(\\d+)$").matcher(dockerHost);
        return m.find() ? Integer.parseInt(m.group(1)) : 22;
    }

    // --- documents ------------------------------------------------------------------------------------------

    private static Map<String, Object> git() {
        return document("git", map("git_repo", map("url", "file://" + repo)));
    }

    private static Map<String, Object> dockerfileWithGitContext() {
        return document("dockerfile-context", map(
                "dockerfile", map("url", env.get("IB_TEST_EXAMPLES_HTTP") + "/context/Dockerfile"),
                "build_context", map("url", "file://" + env.dir().resolve("repos/context.git"), "subdir", "app")));
    }

    private static Map<String, Object> dockerfileWithLocalContext() {
        return document("dockerfile-path", map(
                "dockerfile", map("url", env.get("IB_TEST_EXAMPLES_HTTP") + "/context/Dockerfile"),
                "build_context", map("path", env.dir().resolve("context/app").toString())));
    }

    private static Map<String, Object> tarUrl() {
        return document("tar", map("tar", map("url", env.get("IB_TEST_EXAMPLES_HTTP") + "/images/app.tar")));
    }

    private static Map<String, Object> tarPath() {
        return document("tar-path", map("tar", map("path", tmp.resolve("app.tar").toString())));
    }

    private static Map<String, Object> localPath() {
        return document("path", map("path", env.dir().resolve("context/app").toString()));
    }

    /** An inputs document: build_params with the source given, one image, the registry, and build host 1. */
    private static Map<String, Object> document(String mode, Map<String, Object> source) {
        Map<String, Object> image = map("image", "tests/injection-" + mode, "tag", "latest");
        List<Object> images = new ArrayList<>(List.of(image));
        Map<String, Object> target = map("images", images,
                "registry", map("url", env.registry(), "username", env.registryUser()));
        Map<String, Object> doc = map("build_params", map("source", source, "target", target));
        doc.put("docker_host", env.dockerHost(1));
        doc.put("ssh_private_key", env.sshKey().toString());
        doc.put("known_hosts", env.knownHosts().toString());
        doc.put("docker_client", env.dockerClient());
        doc.put("build_network", "none");
        return doc;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** Sets the value at a dotted path such as {@code build_params.target.images[0].tag}, creating maps on the way. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> at = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            Matcher indexed = Pattern.compile("(.+)\\[(\\d+)]").matcher(part);
            boolean last = i == parts.length - 1;
            if (indexed.matches()) {
                List<Object> list = (List<Object>) at.get(indexed.group(1));
                at = (Map<String, Object>) list.get(Integer.parseInt(indexed.group(2)));
                if (last) throw new IllegalArgumentException("cannot replace a list item: " + path);
            } else if (last) {
                at.put(part, value);
            } else {
                at = (Map<String, Object>) at.computeIfAbsent(part, k -> new LinkedHashMap<String, Object>());
            }
        }
    }
}
