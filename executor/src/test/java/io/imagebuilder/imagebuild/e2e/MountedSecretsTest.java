package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets of build_params (from a file, an environment variable of the executor, and the document) and a proxy CA
 * reach the RUN steps of a real BuildKit build over SSH, and nothing of them reaches the pushed image (every layer
 * and the configuration are unpacked and searched), the output or the state directory.
 */
class MountedSecretsTest {

    /** Set for the tests' JVM by the build (the surefire configuration). */
    private static final String ENV_NAME = "IMAGE_BUILDER_TEST_SECRET";

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void runStepsSeeTheSecretsAndTheProxyCaAndTheImageHoldsNeither() throws Exception {
        String fileSecret = "file-secret-" + UUID.randomUUID();
        String envSecret = System.getenv(ENV_NAME);
        assertThat(envSecret).as(ENV_NAME + " in the tests' environment").hasSizeGreaterThanOrEqualTo(8);
        String valueSecret = "value-secret-" + UUID.randomUUID();
        String caBody = "MIIB" + UUID.randomUUID().toString().replace("-", "") + "proxyCaBody";
        String ca = "-----BEGIN CERTIFICATE-----\n" + caBody + "\n-----END CERTIFICATE-----\n";
        Path secretFile = privateFile("npmrc", fileSecret);
        Path caFile = Files.writeString(tmp.resolve("ca.pem"), ca);
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\n"
                + "RUN echo " + System.nanoTime() + " > /built\n"
                + "RUN --mount=type=secret,id=file_secret --mount=type=secret,id=env_secret "
                + "--mount=type=secret,id=value_secret \\\n"
                + "    test \"$(sha256sum < /run/secrets/file_secret | cut -d' ' -f1)\" = " + sha256(fileSecret)
                + " && test \"$(sha256sum < /run/secrets/env_secret | cut -d' ' -f1)\" = " + sha256(envSecret)
                + " && test \"$(sha256sum < /run/secrets/value_secret | cut -d' ' -f1)\" = " + sha256(valueSecret)
                + "\n"
                + "RUN --mount=type=secret,id=file_secret echo \"printed: $(cat /run/secrets/file_secret)\"\n"
                + "RUN test \"$SSL_CERT_FILE\" = /run/secrets/image-builder-proxy-ca"
                + " && test \"$(sha256sum < \"$CURL_CA_BUNDLE\" | cut -d' ' -f1)\" = " + sha256(ca)
                + " && grep -q CaInfo \"$APT_CONFIG\" && echo proxy-ca-seen\n");
        String image = "tests/mounted-secrets";
        Path build = privateFile("build.yaml", buildParams(image, context) + """
                  secrets:
                    file_secret: { file: %s }
                    env_secret: { env: %s }
                    value_secret: { value: %s }
                  proxy_ca: %s
                """.formatted(q(secretFile.toString()), ENV_NAME, q(valueSecret), q(caFile.toString())) + host());
        Path state = tmp.resolve("state");

        Cli run = Cli.run("build", "--state-dir", state.toString(), build.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as("what the RUN step printed, masked").contains("printed: ****")
                .contains("proxy-ca-seen");
        List<String> secrets = List.of(fileSecret, envSecret, valueSecret);
        for (String s : secrets) {
            assertThat(run.out() + run.err()).as("the output").doesNotContain(s);
        }
        assertThat(filesHoldingAnyOf(state, secrets)).as("state files holding a secret").isEmpty();

        Registry registry = new Registry(env);
        Registry.Manifest manifest = registry.manifest(image, "latest");
        assertThat(manifest.status()).isEqualTo(200);
        byte[] config = registry.blob(image, manifest.body().path("config").path("digest").asText());
        List<byte[]> layers = new ArrayList<>();
        for (JsonNode layer : manifest.body().path("layers")) {
            layers.add(gunzip(registry.blob(image, layer.path("digest").asText())));
        }
        assertThat(layers).as("the image's layers").hasSizeGreaterThan(1);
        List<String> needles = new ArrayList<>(secrets);
        needles.add(caBody);
        for (String needle : needles) {
            assertThat(new String(config, StandardCharsets.UTF_8)).as("the image configuration").doesNotContain(needle);
            for (byte[] layer : layers) {
                assertThat(BuildSecretsTest.indexOf(layer, needle.getBytes(StandardCharsets.UTF_8))).as("a layer holding a secret")
                        .isNegative();
            }
        }
        JsonNode imageEnv = new ObjectMapper().readTree(config).path("config").path("Env");
        assertThat(imageEnv.toString()).as("the image's environment").doesNotContain("SSL_CERT_FILE")
                .doesNotContain("APT_CONFIG");
    }

    @Test
    void aMissingEnvironmentVariableIsRefusedAtItsPlaceBeforeAnythingIsBuilt() throws Exception {
        String image = "tests/mounted-secrets-unset";
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN true\n");
        Path build = privateFile("build.yaml", buildParams(image, context) + """
                  secrets:
                    token: { env: IMAGE_BUILDER_TEST_UNSET_VARIABLE }
                """ + host());

        Cli run = Cli.run("build", "--state-dir", tmp.resolve("state").toString(), build.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(build + ":12:").contains("secrets.token.env: the environment variable "
                + "IMAGE_BUILDER_TEST_UNSET_VARIABLE is not set");
        assertThat(new Registry(env).manifest(image, "latest").status()).as("nothing pushed").isEqualTo(404);
    }

    @Test
    void aClientWithoutBuildKitIsToldApartBeforeBuilding() throws Exception {
        String image = "tests/mounted-secrets-legacy";
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN true\n");
        // a client of 23.0 or later without the buildx plugin builds only with the legacy builder
        Path client = tmp.resolve("docker-24");
        Files.writeString(client, "#!/bin/sh\n"
                + "[ \"$1\" = --version ] && { echo 'Docker version 24.0.7, build afdd53b'; exit 0; }\n"
                + "[ \"$1\" = buildx ] && { echo 'docker: unknown command: docker buildx' >&2; exit 1; }\n"
                + "exec " + env.dockerClient() + " \"$@\"\n");
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        Path build = privateFile("build.yaml", buildParams(image, context) + """
                  secrets:
                    token: { value: never-used-secret }
                """ + host().replace(q(env.dockerClient()), q(client.toString())));

        Cli run = Cli.run("build", "--state-dir", tmp.resolve("state").toString(), build.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out() + run.err()).as(run.toString()).contains("build secrets, proxy_ca and cache need BuildKit, which the docker client "
                + client + " cannot use (version 24 without the buildx plugin)");
        assertThat(new Registry(env).manifest(image, "latest").status()).as("nothing pushed").isEqualTo(404);
    }

    // --- inputs ---------------------------------------------------------------------------------------------

    private String buildParams(String image, Path context) {
        return "build_params:\n  source:\n    path: " + q(context.toString()) + "\n"
                + "  target:\n    images:\n      - image: " + q(image) + "\n        tag: latest\n"
                + "    registry:\n      url: " + q(env.registry()) + "\n      username: " + q(env.registryUser())
                + "\n";
    }

    private String host() {
        return BuildFiles.host(env, 1) + BuildFiles.registryPassword(env);
    }

    private Path privateFile(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
        return file;
    }

    private static String q(String value) {
        return BuildFailuresTest.q(value);
    }

    // --- checks ---------------------------------------------------------------------------------------------

    private static List<Path> filesHoldingAnyOf(Path dir, List<String> needles) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files in " + dir).isNotEmpty();
        List<Path> holding = new ArrayList<>();
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            if (needles.stream().anyMatch(n -> BuildSecretsTest.indexOf(content, n.getBytes(StandardCharsets.UTF_8)) >= 0)) {
                holding.add(f);
            }
        }
        return holding;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
