package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * publish: s3 on the loopback S3 API (S3Proxy): each platform's root filesystem is in the bucket as a SquashFS that
 * unsquashfs lists, with a manifest naming its digest, and nothing is pushed to the registry.
 */
class S3PublishTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void eachPlatformsRootFilesystemIsInTheBucketAsASquashfs() throws Exception {
        String tag = "t" + Long.toString(System.nanoTime(), 36);
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\n"
                + "RUN mkdir -p /boot-test && echo " + tag + " > /boot-test/marker\n");
        Path file = tmp.resolve("build.yaml");
        Files.writeString(file, """
                build_params:
                  source:
                    path: %s
                  target:
                    publish: s3
                    s3:
                      bucket: %s
                      prefix: boot/
                      endpoint: %s
                      credentials_file: %s
                    images:
                      - {image: tests/bootable, tag: %s, platforms: [linux/amd64, linux/arm64]}
                    registry: {url: %s, username: %s}
                """.formatted(q(context.toString()), env.s3Bucket(), q(env.s3Endpoint()),
                q(env.s3Credentials().toString()), tag, q(env.registry()), q(env.registryUser()))
                + BuildFiles.host(env, 1) + BuildFiles.registryPassword(env));
        Path state = tmp.resolve("state");

        Cli run = Cli.run("build", "--state-dir", state.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(new Registry(env).manifest("tests/bootable", tag).status()).as("nothing pushed").isEqualTo(404);
        try (S3Client s3 = client()) {
            List<String> keys = s3.listObjectsV2(r -> r.bucket(env.s3Bucket()).prefix("boot/tests/bootable/" + tag))
                    .contents().stream().map(S3Object::key)
                    .filter(k -> !k.endsWith("/")) // S3Proxy's filesystem store lists its directories too
                    .toList();
            assertThat(keys).containsExactlyInAnyOrder(
                    "boot/tests/bootable/" + tag + "/linux-amd64.squashfs",
                    "boot/tests/bootable/" + tag + "/linux-amd64.json",
                    "boot/tests/bootable/" + tag + "/linux-arm64.squashfs",
                    "boot/tests/bootable/" + tag + "/linux-arm64.json");

            Map<String, String> recorded = new java.util.LinkedHashMap<>();
            Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
            for (JsonNode i : new ObjectMapper().readTree(outputs.out()).path("images").findParents("reference")) {
                recorded.put(i.path("reference").asText(), i.path("digest").asText());
            }
            for (String platform : List.of("linux-amd64", "linux-arm64")) {
                String key = "boot/tests/bootable/" + tag + "/" + platform;
                Path squashfs = tmp.resolve(platform + ".squashfs");
                s3.getObject(r -> r.bucket(env.s3Bucket()).key(key + ".squashfs"), squashfs);
                String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(squashfs)));
                JsonNode manifest = new ObjectMapper().readTree(s3.getObjectAsBytes(r -> r.bucket(env.s3Bucket())
                        .key(key + ".json")).asByteArray());
                assertThat(manifest.path("squashfs").path("digest").asText()).isEqualTo(digest);
                assertThat(manifest.path("platform").asText()).isEqualTo(platform.replace('-', '/'));
                assertThat(recorded).containsEntry("s3://" + env.s3Bucket() + "/" + key + ".squashfs", digest);

                String listing = unsquashfsList(squashfs);
                assertThat(listing).contains("squashfs-root/boot-test/marker").contains("squashfs-root/bin/busybox")
                        .doesNotContain("squashfs-root/dev/console");
            }
        }
    }

    private static String unsquashfsList(Path squashfs) throws Exception {
        List<String> out = new ArrayList<>();
        ProcessResult r = ProcessRunner.run(ProcessRunner.command("unsquashfs", "-l", squashfs.toString()),
                Map.of("PATH", System.getenv("PATH")), null, null, out::add, out::add, Duration.ofMinutes(2), null);
        assertThat(r.succeeded()).as(String.join("\n", out)).isTrue();
        return String.join("\n", out);
    }

    private static S3Client client() {
        return S3Client.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(env.s3Endpoint())).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(ProfileCredentialsProvider.builder().profileName("default")
                        .profileFile(ProfileFile.builder().content(env.s3Credentials())
                                .type(ProfileFile.Type.CREDENTIALS).build()).build())
                .build();
    }

    private static String q(String value) {
        return BuildFailuresTest.q(value);
    }
}
