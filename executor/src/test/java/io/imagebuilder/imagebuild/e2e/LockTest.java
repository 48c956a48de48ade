package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.DockerfileRepos;
import io.imagebuilder.testenv.TestEnvironment;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock end to end: a build on the loopback engine writes what it was made from (the download's hash, the git
 * commit, each base image's digest per platform as the registry has it, build arguments, secrets by name), and
 * verify checks each asset against the world again, failing when one changed.
 */
class LockTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String SECRET = "lock-test-secret-" + RUN;

    private static TestEnvironment env;
    private static HttpServer http;
    private static final AtomicReference<byte[]> served = new AtomicReference<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        env = TestEnvironment.load();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/Dockerfile", exchange -> {
            byte[] body = served.get();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        http.stop(0);
    }

    @Test
    void aBuildRecordsItsDownloadBasesArgumentsAndSecretNamesAndVerifyFindsWhatChanged() throws Exception {
        String dockerfile = "ARG BASE=nothing\nFROM ${BASE} AS base\nFROM base\nRUN echo locked > /locked\n";
        served.set(dockerfile.getBytes(StandardCharsets.UTF_8));
        Path inputs = inputs("""
                build_params:
                  source:
                    dockerfile:
                      url: http://127.0.0.1:%d/Dockerfile
                  build_args:
                    BASE: %s
                  secrets:
                    token:
                      value: %s
                  target:
                    images:
                      - image: tests/lock
                        tag: %s
                        platforms: [ linux/amd64, linux/arm64 ]
                    registry:
                      url: %s
                      username: %s
                """.formatted(http.getAddress().getPort(), env.baseImage(), SECRET, RUN, env.registry(),
                env.registryUser()));
        Path lockFile = tmp.resolve("image-builder.lock.json");

        Cli build = Cli.run("build", "--json", "--lock-file", lockFile.toString(), inputs.toString());

        assertThat(build.exitCode()).as(build.toString()).isZero();
        String text = Files.readString(lockFile);
        assertThat(text).doesNotContain(SECRET);
        JsonNode lock = new ObjectMapper().readTree(text);
        assertThat(new ObjectMapper().readTree(build.out()).path("lock")).isEqualTo(lock);
        assertThat(lock.path("lock_version").asInt()).isEqualTo(1);
        assertThat(lock.path("build_args").path("BASE").asText()).isEqualTo(env.baseImage());
        assertThat(lock.path("mounted").toString()).isEqualTo("[\"token\"]");

        JsonNode download = lock.path("materials").get(0);
        assertThat(download.path("kind").asText()).isEqualTo("download");
        assertThat(download.path("field").asText()).isEqualTo("dockerfile.url");
        assertThat(download.path("sha256").asText()).isEqualTo(sha256(served.get()));
        assertThat(download.path("size").asLong()).isEqualTo(served.get().length);

        // what the registry says each platform of the base is, read here without the executor's code
        Registry registry = new Registry(env);
        String baseRepository = env.baseImage().substring(env.registry().length() + 1, env.baseImage().indexOf(':',
                env.registry().length()));
        Registry.Manifest list = registry.manifest(baseRepository, "latest");
        assertThat(lock.path("units")).hasSize(2);
        for (JsonNode unit : lock.path("units")) {
            String platform = unit.path("platform").asText();
            assertThat(unit.path("reference").asText()).isEqualTo(env.registry() + "/tests/lock:" + RUN);
            assertThat(unit.path("dockerfile").asText()).isEqualTo(sha256(served.get()));
            assertThat(unit.path("host").asText()).isEqualTo(env.dockerHost(1));
            assertThat(unit.path("engine").asText()).startsWith("Docker ");
            JsonNode bases = unit.path("bases");
            assertThat(bases).as("the stage built on the first stage is not a base image").hasSize(1);
            assertThat(bases.get(0).path("image").asText()).isEqualTo(env.baseImage());
            assertThat(bases.get(0).path("index").asText()).isEqualTo(list.digest());
            assertThat(bases.get(0).path("digest").asText()).isEqualTo(digestFor(list.body(), platform));
        }
        assertThat(lock.path("units").get(0).path("platform").asText())
                .isNotEqualTo(lock.path("units").get(1).path("platform").asText());

        // provenance: one statement per pushed manifest and one for the list, each attached beside the image
        JsonNode written = new ObjectMapper().readTree(tmp.resolve("image-builder.provenance.json").toFile());
        assertThat(written).hasSize(3);
        JsonNode pushed = new ObjectMapper().readTree(build.out()).path("images");
        List<String> subjects = new java.util.ArrayList<>();
        pushed.forEach(i -> subjects.add(i.path("digest").asText()));
        subjects.add(pushed.get(0).path("manifest_list").asText());
        for (String subject : subjects) {
            Registry.Manifest attached = registry.manifest("tests/lock", "sha256-" + subject.substring(7) + ".att");
            assertThat(attached.status()).as(subject).isEqualTo(200);
            assertThat(attached.body().path("artifactType").asText()).isEqualTo("application/vnd.in-toto+json");
            assertThat(attached.body().path("subject").path("digest").asText()).isEqualTo(subject);
            JsonNode statement = new ObjectMapper().readTree(registry.blob("tests/lock",
                    attached.body().path("layers").get(0).path("digest").asText()));
            assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
            assertThat(statement.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
            assertThat(statement.path("subject").get(0).path("digest").path("sha256").asText())
                    .isEqualTo(subject.substring(7));
            assertThat(statement.toString()).doesNotContain(SECRET)
                    .contains("\"uri\":\"http://127.0.0.1:" + http.getAddress().getPort() + "/Dockerfile\"")
                    .contains(sha256(served.get()).substring(7))
                    .contains("pkg:docker/" + env.baseImage() + "?platform=linux%2F");
        }

        Cli verified = verify(lockFile);
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("ok  download  http://127.0.0.1:" + http.getAddress().getPort()
                + "/Dockerfile " + sha256(served.get())).contains("ok  image  " + env.baseImage() + "@")
                .contains("all 3 assets match");

        served.set((dockerfile + "RUN echo changed\n").getBytes(StandardCharsets.UTF_8));
        Cli changed = verify(lockFile);
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
        assertThat(changed.out()).contains("FAILED  download").contains("its content changed")
                .contains("1 of 3 assets do not match");

        ObjectNode tampered = (ObjectNode) lock.deepCopy();
        served.set(dockerfile.getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) tampered.path("units").get(0).path("bases").get(0)).put("digest", "sha256:" + "0".repeat(64));
        Path tamperedFile = tmp.resolve("tampered.json");
        Files.writeString(tamperedFile, tampered.toString());
        Cli missing = verify(tamperedFile);
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.out()).contains("FAILED  image  " + env.baseImage() + "@sha256:" + "0".repeat(64)
                + ": the registry no longer has it");

        Cli anonymous = Cli.run("verify", lockFile.toString());
        assertThat(anonymous.exitCode()).as("the loopback registry answers only with credentials").isEqualTo(1);
        assertThat(anonymous.out()).contains("asks for credentials");
    }

    @Test
    void theCommitOfAGitSourceIsRecordedAndVerifyFailsOnceItsBranchMoved() throws Exception {
        Path repo = tmp.resolve("repo");
        String url = DockerfileRepos.create(repo, "FROM " + env.baseImage() + "\nRUN echo git > /git\n");
        String head;
        String committed;
        try (Git git = Git.open(repo.toFile())) {
            org.eclipse.jgit.revwalk.RevCommit commit = git.log().setMaxCount(1).call().iterator().next();
            head = commit.name();
            committed = java.time.Instant.ofEpochSecond(commit.getCommitTime()).toString();
        }
        Path inputs = inputs("""
                build_params:
                  source:
                    git_repo:
                      url: %s
                      version: main
                  labels:
                    org.opencontainers.image.source: https://example.org/given
                  target:
                    images:
                      - image: tests/lock-git
                        tag: %s
                    registry:
                      url: %s
                      username: %s
                """.formatted(url, RUN, env.registry(), env.registryUser()));
        Path lockFile = tmp.resolve("git.lock.json");

        Cli build = Cli.run("build", "--lock-file", lockFile.toString(), inputs.toString());

        assertThat(build.exitCode()).as(build.toString()).isZero();
        JsonNode material = new ObjectMapper().readTree(lockFile.toFile()).path("materials").get(0);
        assertThat(material.path("kind").asText()).isEqualTo("git");
        assertThat(material.path("version").asText()).isEqualTo("main");
        assertThat(material.path("commit").asText()).isEqualTo(head);
        assertThat(material.path("committed").asText()).isEqualTo(committed);
        assertThat(verify(lockFile).exitCode()).isZero();

        // the OCI labels: revision and created from the commit, source as build_params gives it
        Registry registry = new Registry(env);
        Registry.Manifest manifest = registry.manifest("tests/lock-git", RUN);
        JsonNode labels = new ObjectMapper().readTree(registry.blob("tests/lock-git",
                manifest.body().path("config").path("digest").asText())).path("config").path("Labels");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isEqualTo(head);
        assertThat(labels.path("org.opencontainers.image.created").asText()).isEqualTo(committed);
        assertThat(labels.path("org.opencontainers.image.source").asText()).isEqualTo("https://example.org/given");

        Files.writeString(repo.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN echo moved > /git\n");
        PersonIdent author = new PersonIdent("Test Author", "author@example.org");
        String moved;
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(".").call();
            moved = git.commit().setMessage("moved").setAuthor(author).setCommitter(author).call().name();
        }
        Cli verified = verify(lockFile);
        assertThat(verified.exitCode()).as(verified.toString()).isEqualTo(1);
        assertThat(verified.out()).contains("FAILED  git  " + url.replaceFirst("/$", ""))
                .contains("version main is now at " + moved + ", not " + head);
    }

    @Test
    void aLockedBuildRebuildsTheRecordedCommitOnTheRecordedBaseAfterBothMoved() throws Exception {
        Engine engine = new Engine(env, 1, Engine.privateConfig(tmp));
        String base = pushedBase(engine, "tests/lock-base");
        Path repo = tmp.resolve("held");
        String url = DockerfileRepos.create(repo, "FROM " + base + "\nRUN echo one > /version\n");
        Path inputs = inputs("""
                build_params:
                  source:
                    git_repo:
                      url: %s
                      version: main
                  target:
                    images:
                      - image: tests/lock-held
                        tag: %s
                    registry:
                      url: %s
                      username: %s
                """.formatted(url, RUN, env.registry(), env.registryUser()));
        Path first = tmp.resolve("first.lock.json");
        Cli built = Cli.run("build", "--lock-file", first.toString(), inputs.toString());
        assertThat(built.exitCode()).as(built.toString()).isZero();
        Registry registry = new Registry(env);
        String firstDigest = registry.manifest("tests/lock-held", RUN).digest();

        // the base's tag and the branch both move on
        moveBase(engine, base, "moved-base");
        Files.writeString(repo.resolve("Dockerfile"), "FROM " + base + "\nRUN echo two > /version\n");
        PersonIdent author = new PersonIdent("Test Author", "author@example.org");
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("moved").setAuthor(author).setCommitter(author).call();
        }

        Path second = tmp.resolve("second.lock.json");
        Cli held = Cli.run("build", "--locked", first.toString(), "--lock-file", second.toString(), inputs.toString());

        assertThat(held.exitCode()).as(held.toString()).isZero();
        assertThat(held.out()).contains("held at " + new ObjectMapper().readTree(first.toFile()).path("materials")
                .get(0).path("commit").asText() + " by the lock");
        assertThat(new ObjectMapper().readTree(second.toFile())).as("the rebuild's lock is the first one's")
                .isEqualTo(new ObjectMapper().readTree(first.toFile()));
        assertThat(registry.manifest("tests/lock-held", RUN).digest())
                .as("the same commit on the same base, with the commit's time as created: the same image")
                .isEqualTo(firstDigest);

        Cli unlocked = Cli.run("build", "--lock-file", tmp.resolve("third.lock.json").toString(), inputs.toString());
        assertThat(unlocked.exitCode()).as(unlocked.toString()).isZero();
        assertThat(registry.manifest("tests/lock-held", RUN).digest()).as("without the lock, what moved is built")
                .isNotEqualTo(firstDigest);
    }

    @Test
    void aLockedBuildWhoseDownloadChangedFailsBeforeBuildingAndPushesNothing() throws Exception {
        String dockerfile = "FROM " + env.baseImage() + "\nRUN echo downloaded > /downloaded\n";
        served.set(dockerfile.getBytes(StandardCharsets.UTF_8));
        String buildParams = """
                build_params:
                  source:
                    dockerfile:
                      url: http://127.0.0.1:%d/Dockerfile
                  target:
                    images:
                      - image: tests/lock-download
                        tag: %%s
                    registry:
                      url: %s
                      username: %s
                """.formatted(http.getAddress().getPort(), env.registry(), env.registryUser());
        Path lockFile = tmp.resolve("download.lock.json");
        Cli built = Cli.run("build", "--lock-file", lockFile.toString(), inputs(buildParams.formatted(RUN))
                .toString());
        assertThat(built.exitCode()).as(built.toString()).isZero();

        served.set((dockerfile + "RUN echo changed\n").getBytes(StandardCharsets.UTF_8));
        String never = RUN + "-never";
        Cli held = Cli.run("build", "--locked", lockFile.toString(), inputs(buildParams.formatted(never)).toString());

        assertThat(held.exitCode()).as(held.toString()).isEqualTo(1);
        assertThat(held.out() + held.err()).contains("dockerfile.url http://127.0.0.1:" + http.getAddress().getPort()
                + "/Dockerfile is not what the lock records: " + sha256(served.get()));
        assertThat(held.out()).doesNotContain("#1 [internal] load build definition");
        assertThat(new Registry(env).manifest("tests/lock-download", never).status()).isEqualTo(404);

        Cli notALock = Cli.run("build", "--locked", inputs(buildParams.formatted(never)).toString(),
                inputs(buildParams.formatted(never)).toString());
        assertThat(notALock.exitCode()).isEqualTo(2);
        assertThat(notALock.err()).contains("error: --locked ").contains("inputs.yaml:1:1: not a lock file");
    }

    /**
     * htvend's promise: once vendored, the build needs none of its sources. The HTTP server is stopped, the git
     * repository deleted, and the base image deleted from the registry and the engine; the offline build still
     * succeeds, and its lock and its image are the first build's.
     */
    @Test
    void anOfflineBuildFromTheVendorDirectoryNeedsNoneOfItsSources() throws Exception {
        Engine engine = new Engine(env, 1, Engine.privateConfig(tmp));
        String baseRepository = "tests/offline-base";
        String base = env.registry() + "/" + baseRepository + ":" + RUN;
        engine.docker("pull", env.baseImage());
        engine.docker("tag", env.baseImage(), base);
        engine.docker("push", base);
        HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] dockerfile = ("FROM " + base + "\nCOPY context.txt /context.txt\n").getBytes(StandardCharsets.UTF_8);
        files.createContext("/Dockerfile", exchange -> {
            exchange.sendResponseHeaders(200, dockerfile.length);
            exchange.getResponseBody().write(dockerfile);
            exchange.close();
        });
        files.start();
        Path repo = tmp.resolve("context");
        String contextUrl = DockerfileRepos.create(repo, "unused\n");
        Files.writeString(repo.resolve("context.txt"), "from the context repository\n");
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(".").call();
            PersonIdent author = new PersonIdent("Test Author", "author@example.org");
            git.commit().setMessage("context").setAuthor(author).setCommitter(author).call();
        }
        Path inputs = inputs("""
                build_params:
                  source:
                    dockerfile:
                      url: http://127.0.0.1:%d/Dockerfile
                    build_context:
                      url: %s
                  target:
                    images:
                      - image: tests/offline
                        tag: %s
                    registry:
                      url: %s
                      username: %s
                """.formatted(files.getAddress().getPort(), contextUrl, RUN, env.registry(), env.registryUser()));
        Path first = tmp.resolve("first.lock.json");
        Path vendor = tmp.resolve("vendor");
        try {
            Cli built = Cli.run("build", "--lock-file", first.toString(), inputs.toString());
            assertThat(built.exitCode()).as(built.toString()).isZero();
            Cli vendored = withPassword(() -> Cli.run("vendor", "--registry-user", env.registryUser(),
                    "--registry-password-stdin", first.toString(), vendor.toString()));
            assertThat(vendored.exitCode()).as(vendored.toString()).isZero();
        } finally {
            files.stop(0);
        }
        Registry registry = new Registry(env);
        String firstDigest = registry.manifest("tests/offline", RUN).digest();
        JsonNode lock = new ObjectMapper().readTree(first.toFile());
        String baseDigest = lock.path("units").get(0).path("bases").get(0).path("digest").asText();
        assertThat(lock.path("materials")).hasSize(2);
        assertThat(Files.list(vendor.resolve("files"))).hasSize(1);
        assertThat(vendor.resolve("git").resolve(lock.path("materials").get(1).path("commit").asText() + ".bundle"))
                .isRegularFile();
        assertThat(vendor.resolve("images").resolve(baseDigest.substring("sha256:".length())).resolve("index.json"))
                .isRegularFile();

        io.imagebuilder.util.Trees.delete(repo);
        assertThat(registry.delete(baseRepository, baseDigest)).isEqualTo(202);
        assertThat(registry.manifest(baseRepository, baseDigest).status()).isEqualTo(404);
        engine.docker("rmi", base);
        Path second = tmp.resolve("second.lock.json");

        Cli offline = Cli.run("build", "--offline", vendor.toString(), "--lock-file", second.toString(),
                inputs.toString());

        assertThat(offline.exitCode()).as(offline.toString()).isZero();
        assertThat(offline.out()).contains("copied from the vendor directory into " + env.registry() + "/"
                + baseRepository).contains("cloning " + vendor.resolve("git").toUri());
        assertThat(new ObjectMapper().readTree(second.toFile())).isEqualTo(lock);
        assertThat(registry.manifest("tests/offline", RUN).digest()).isEqualTo(firstDigest);
        assertThat(registry.manifest(baseRepository, baseDigest).status()).isEqualTo(200);
    }

    /**
     * The SBOM beside an image: SPDX 2.3, listing exactly the packages dpkg says are installed in the image (asked
     * of the image itself, run on the engine), and its files with their SHA-1.
     */
    @Test
    void theSbomOfADebianImageListsWhatDpkgSaysIsInstalledAndItsFiles() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("debian"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.debianImage() + "\nRUN echo sbom > /sbom.txt\n");
        Path inputs = inputs("""
                build_params:
                  source:
                    path: %s
                  target:
                    images:
                      - image: tests/lock-sbom
                        tag: %s
                    registry:
                      url: %s
                      username: %s
                """.formatted(context, RUN, env.registry(), env.registryUser()));
        Cli build = Cli.run("build", "--json", "--lock-file", tmp.resolve("sbom.lock.json").toString(),
                inputs.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        String reference = env.registry() + "/tests/lock-sbom:" + RUN;
        String digest = new ObjectMapper().readTree(build.out()).path("images").get(0).path("digest").asText();

        Registry registry = new Registry(env);
        Registry.Manifest attached = registry.manifest("tests/lock-sbom", "sha256-" + digest.substring(7) + ".sbom");
        assertThat(attached.status()).isEqualTo(200);
        assertThat(attached.body().path("artifactType").asText()).isEqualTo("application/spdx+json");
        assertThat(attached.body().path("subject").path("digest").asText()).isEqualTo(digest);
        JsonNode sbom = new ObjectMapper().readTree(registry.blob("tests/lock-sbom",
                attached.body().path("layers").get(0).path("digest").asText()));
        assertThat(sbom.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(sbom.path("name").asText()).isEqualTo(env.registry() + "/tests/lock-sbom@" + digest);

        Engine engine = new Engine(env, 1, Engine.privateConfig(tmp));
        List<String> installed = engine.docker("run", "--rm", "--network", "none", reference, "dpkg-query", "-W",
                "-f", "${Package} ${Version} ${Architecture};").lines().flatMap(l -> java.util.Arrays.stream(l.split(";")))
                .map(String::strip).filter(l -> !l.isBlank()).sorted().toList();
        List<String> listed = new java.util.ArrayList<>();
        List<String> purls = new java.util.ArrayList<>();
        sbom.path("packages").forEach(p -> {
            String purl = p.path("externalRefs").get(0).path("referenceLocator").asText();
            if (purl.startsWith("pkg:deb/")) {
                listed.add(p.path("name").asText() + " " + p.path("versionInfo").asText() + " "
                        + purl.substring(purl.indexOf("?arch=") + 6));
                purls.add(purl);
            }
        });
        assertThat(installed).hasSizeGreaterThan(10);
        assertThat(listed.stream().sorted().toList()).isEqualTo(installed);
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:deb/debian/dpkg@"));

        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest("sbom\n".getBytes(StandardCharsets.UTF_8)));
        List<String> files = new java.util.ArrayList<>();
        sbom.path("files").forEach(f -> files.add(f.path("fileName").asText() + " "
                + f.path("checksums").get(0).path("checksumValue").asText()));
        assertThat(files).contains("./sbom.txt " + sha1).anyMatch(f -> f.startsWith("./usr/bin/dpkg "));

        Cli again = Cli.run("build", "--json", "--lock-file", tmp.resolve("sbom-again.lock.json").toString(),
                inputs.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode rebuilt = new ObjectMapper().readTree(again.out());
        assertThat(rebuilt.path("images").get(0).path("digest").asText()).as("cached: the same image").isEqualTo(digest);
        assertThat(again.err() + again.out()).contains("SBOM of " + env.registry() + "/tests/lock-sbom@" + digest
                + " kept");
        assertThat(registry.manifest("tests/lock-sbom", "sha256-" + digest.substring(7) + ".sbom").digest())
                .as("the SBOM attached before stays").isEqualTo(attached.digest());
        assertThat(rebuilt.path("sboms")).isEqualTo(new ObjectMapper().readTree(build.out()).path("sboms"));
    }

    @Test
    void anEditedImageHeldToItsLockIsMadeFromTheRecordedBaseAndFailsWhenItsFileChanged() throws Exception {
        Engine engine = new Engine(env, 1, Engine.privateConfig(tmp));
        String base = pushedBase(engine, "tests/lock-edit-base");
        Path motd = Files.writeString(tmp.resolve("motd"), "edited\n");
        String buildParams = """
                build_params:
                  source:
                    image: %s
                    add:
                      - src: %s
                        dest: /etc/motd
                  target:
                    images:
                      - image: tests/lock-edit
                        tag: %%s
                    registry:
                      url: %s
                      username: %s
                """.formatted(base, motd, env.registry(), env.registryUser());
        Path first = tmp.resolve("edit.lock.json");
        Cli built = Cli.run("build", "--lock-file", first.toString(), inputs(buildParams.formatted(RUN)).toString());
        assertThat(built.exitCode()).as(built.toString()).isZero();
        Registry registry = new Registry(env);
        String firstDigest = registry.manifest("tests/lock-edit", RUN).digest();
        JsonNode lock = new ObjectMapper().readTree(first.toFile());
        assertThat(lock.path("materials").get(0).path("field").asText()).isEqualTo("source.add[0].src");
        assertThat(lock.path("materials").get(0).path("sha256").asText())
                .isEqualTo(sha256("edited\n".getBytes(StandardCharsets.UTF_8)));
        String baseDigest = registry.manifest("tests/lock-edit-base", RUN).digest();
        assertThat(lock.path("units")).isNotEmpty().allSatisfy(u -> {
            assertThat(u.path("bases").get(0).path("image").asText()).isEqualTo(base);
            assertThat(List.of(u.path("bases").get(0).path("digest").asText(),
                    u.path("bases").get(0).path("index").asText())).contains(baseDigest);
        });

        moveBase(engine, base, "moved-edit-base");

        Path second = tmp.resolve("edit-again.lock.json");
        Cli held = Cli.run("build", "--locked", first.toString(), "--lock-file", second.toString(),
                inputs(buildParams.formatted(RUN)).toString());
        assertThat(held.exitCode()).as(held.toString()).isZero();
        assertThat(held.out()).contains(base + " held at " + base + "@sha256:");
        assertThat(new ObjectMapper().readTree(second.toFile())).as("the rebuild's lock is the first one's")
                .isEqualTo(lock);
        assertThat(registry.manifest("tests/lock-edit", RUN).digest())
                .as("the same file on the same base: the same image, though the base's tag moved")
                .isEqualTo(firstDigest);

        Path vendor = tmp.resolve("edit-vendor");
        Cli vendored = withPassword(() -> Cli.run("vendor", "--registry-user", env.registryUser(),
                "--registry-password-stdin", first.toString(), vendor.toString()));
        assertThat(vendored.exitCode()).as(vendored.toString()).isZero();
        assertThat(registry.delete("tests/lock-edit-base", baseDigest)).isEqualTo(202);
        Path third = tmp.resolve("edit-offline.lock.json");
        Cli offline = Cli.run("build", "--offline", vendor.toString(), "--lock-file", third.toString(),
                inputs(buildParams.formatted(RUN)).toString());
        assertThat(offline.exitCode()).as(offline.toString()).isZero();
        assertThat(offline.out()).contains("copied from the vendor directory into " + env.registry()
                + "/tests/lock-edit-base");
        assertThat(new ObjectMapper().readTree(third.toFile())).isEqualTo(lock);
        assertThat(registry.manifest("tests/lock-edit", RUN).digest()).isEqualTo(firstDigest);

        Files.writeString(motd, "changed\n");
        String never = RUN + "-never";
        Cli changed = Cli.run("build", "--locked", first.toString(), inputs(buildParams.formatted(never)).toString());
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
        assertThat(changed.out() + changed.err()).contains("source.add[0].src " + motd + " is not what the lock "
                + "records: " + sha256("changed\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(registry.manifest("tests/lock-edit", never).status()).isEqualTo(404);
    }

    /** The test environment's base image pushed to the registry as REPOSITORY:RUN, which it returns. */
    private String pushedBase(Engine engine, String repository) throws Exception {
        String base = env.registry() + "/" + repository + ":" + RUN;
        engine.docker("pull", env.baseImage());
        engine.docker("tag", env.baseImage(), base);
        engine.docker("push", base);
        return base;
    }

    /** Moves the base's tag to another image, built here on the test environment's base image. */
    private void moveBase(Engine engine, String base, String directory) throws Exception {
        Path context = Files.createDirectories(tmp.resolve(directory));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN touch /moved-base\n");
        engine.docker("build", "--network", "none", "-t", base, context.toString());
        engine.docker("push", base);
    }

    private interface Run {
        Cli run() throws Exception;
    }

    private Cli withPassword(Run run) throws Exception {
        InputStream previous = System.in;
        System.setIn(new ByteArrayInputStream((env.registryPassword() + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return run.run();
        } finally {
            System.setIn(previous);
        }
    }

    private Cli verify(Path lockFile) throws Exception {
        return withPassword(() -> Cli.run("verify", "--registry-user", env.registryUser(), "--registry-password-stdin",
                lockFile.toString()));
    }

    private Path inputs(String buildParams) throws Exception {
        Path file = tmp.resolve("inputs.yaml");
        Files.writeString(file, buildParams + BuildFiles.host(env, 1) + BuildFiles.registryPassword(env));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String digestFor(JsonNode list, String platform) {
        for (JsonNode m : list.path("manifests")) {
            JsonNode p = m.path("platform");
            if ((p.path("os").asText() + "/" + p.path("architecture").asText()).equals(platform)) {
                return m.path("digest").asText();
            }
        }
        throw new AssertionError("the base has no " + platform + " image: " + list);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
