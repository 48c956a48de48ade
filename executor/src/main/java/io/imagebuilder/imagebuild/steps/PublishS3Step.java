package io.imagebuilder.imagebuild.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.host.PrivateDirectory;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.S3Spec;
import io.imagebuilder.util.Digests;
import io.imagebuilder.util.Trees;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes a built unit to S3 for booting (OpenCHAMI's way): its root filesystem, exported from the engine, as a
 * SquashFS, and beside it a JSON manifest naming the image, its platform and the SquashFS's digest. The root
 * filesystem is unpacked and squashed on the executor's machine (GNU tar and mksquashfs, as argument lists), so
 * the build host needs nothing beyond its engine. Credentials are read by the AWS SDK, never passed on a command
 * line.
 */
public final class PublishS3Step {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOCAL_TOOLS = Duration.ofMinutes(30);

    private PublishS3Step() {
    }

    /** The object key of a unit's SquashFS: prefix, repository, tag, then the platform. */
    public static String key(S3Spec s3, BuildUnit unit) {
        String ref = unit.reference();
        int colon = ref.lastIndexOf(':');
        String name = ref.substring(0, colon).replaceFirst("^[^/]*[.:][^/]*/", "");
        String platform = unit.platform() == null ? "default" : unit.platform().toString().replace('/', '-');
        return s3.prefix() + name + "/" + ref.substring(colon + 1) + "/" + platform + ".squashfs";
    }

    public static String url(S3Spec s3, BuildUnit unit) {
        return "s3://" + s3.bucket() + "/" + key(s3, unit);
    }

    /** @return the SquashFS's digest, "sha256:…" */
    public static String run(DockerClient docker, BuildUnit unit, S3Spec s3, LineSink log) throws BuildException {
        String prefix = "[" + unit.label() + "] ";
        Path dir;
        try {
            dir = PrivateDirectory.create();
        } catch (IOException e) {
            throw new BuildException("publishing " + unit.label() + ": cannot create a work directory: "
                    + e.getMessage(), e);
        }
        try {
            Path tar = dir.resolve("rootfs.tar");
            export(docker, unit, tar, log);
            Path root = Files.createDirectory(dir.resolve("root"));
            local(unit, "unpacking the root filesystem", List.of("tar", "--extract", "--file", tar.toString(),
                    "--directory", root.toString(), "--numeric-owner", "--exclude=./dev/*", "--exclude=dev/*"), log);
            Files.delete(tar);
            Path squashfs = dir.resolve("rootfs.squashfs");
            List<String> squash = new ArrayList<>(List.of("mksquashfs", root.toString(), squashfs.toString(),
                    "-noappend", "-no-progress", "-quiet"));
            // unpacked by another user, the files would all be that user's; root's is what an image means
            if (!"root".equals(System.getProperty("user.name"))) squash.add("-all-root");
            local(unit, "making the SquashFS", squash, log);
            String digest = Digests.sha256(squashfs);
            long size = Files.size(squashfs);
            String key = key(s3, unit);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("image", unit.reference());
            manifest.put("platform", unit.platform() == null ? null : unit.platform().toString());
            manifest.put("squashfs", Map.of("key", key, "digest", digest, "size", size));
            manifest.put("created", Instant.now().toString());
            upload(s3, key, squashfs, key.replaceFirst("\\.squashfs$", ".json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            log.line(prefix + "published s3://" + s3.bucket() + "/" + key + " (" + size + " bytes, " + digest + ")");
            return digest;
        } catch (IOException e) {
            throw new BuildException("publishing " + unit.label() + ": " + e.getMessage(), e);
        } finally {
            Trees.delete(dir);
        }
    }

    /** The unit's root filesystem as a tar file, from a container that is created, never started, and removed. */
    private static void export(DockerClient docker, BuildUnit unit, Path tar, LineSink log) throws BuildException {
        List<String> out = new ArrayList<>();
        // an image without a command cannot be created as it is; the entry point is never run
        docker.require("creating a container of " + unit.localTag(), List.of("create", "--entrypoint",
                "/image-builder-export", unit.localTag()), null, out::add);
        // the client may warn on the same stream (a foreign platform, say); the id is the line of 64 hex digits
        String id = out.stream().map(String::trim).filter(l -> l.matches("[0-9a-f]{64}")).findFirst()
                .orElseThrow(() -> new BuildException("creating a container of " + unit.localTag() + ": the engine "
                        + "named no container: " + String.join(" ", out)));
        try {
            docker.require("exporting the root filesystem of " + unit.localTag(), List.of("export", "--output",
                    tar.toString(), id), null, log);
        } finally {
            docker.run(List.of("rm", id), null, line -> { }, line -> { }, null);
        }
    }

    private static void local(BuildUnit unit, String what, List<String> command, LineSink log) throws BuildException {
        List<String> out = new ArrayList<>();
        ProcessResult r;
        try {
            r = ProcessRunner.run(ProcessRunner.command(command.get(0), command.subList(1, command.size())),
                    Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), null, null, out::add,
                    out::add, LOCAL_TOOLS, null);
        } catch (IOException e) {
            throw new BuildException("publishing " + unit.label() + ": " + what + ": cannot run " + command.get(0)
                    + " (" + e.getMessage() + "); " + command.get(0) + " must be installed on the executor's machine"
                    + (command.get(0).equals("mksquashfs") ? " (Debian: squashfs-tools)" : ""), e);
        }
        if (!r.succeeded()) {
            out.forEach(l -> log.line("[" + unit.label() + "] " + l));
            throw new BuildException("publishing " + unit.label() + ": " + what + " failed"
                    + (out.isEmpty() ? "" : ": " + out.get(out.size() - 1)));
        }
    }

    private static void upload(S3Spec s3, String key, Path squashfs, String manifestKey, byte[] manifest)
            throws BuildException {
        try (S3Client client = client(s3)) {
            client.putObject(PutObjectRequest.builder().bucket(s3.bucket()).key(key)
                    .contentType("application/octet-stream").build(), RequestBody.fromFile(squashfs));
            client.putObject(PutObjectRequest.builder().bucket(s3.bucket()).key(manifestKey)
                    .contentType("application/json").build(), RequestBody.fromBytes(manifest));
        } catch (SdkException e) {
            throw new BuildException("uploading to s3://" + s3.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    private static S3Client client(S3Spec s3) {
        var builder = S3Client.builder().region(Region.of(s3.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials(s3))
                // S3-compatible servers do not all know the newer checksums; S3 itself does not require them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s3.endpoint() != null) builder.endpointOverride(URI.create(s3.endpoint())).forcePathStyle(true);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Spec s3) {
        if (s3.credentialsFile() == null) return DefaultCredentialsProvider.builder().build();
        ProfileFile file = ProfileFile.builder().content(Path.of(s3.credentialsFile()))
                .type(ProfileFile.Type.CREDENTIALS).build();
        return ProfileCredentialsProvider.builder().profileFile(file).profileName("default").build();
    }
}
