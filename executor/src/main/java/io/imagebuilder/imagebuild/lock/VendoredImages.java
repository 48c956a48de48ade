package io.imagebuilder.imagebuild.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.util.Digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lock's base images kept as OCI image layouts ({@code images/HEX/}, HEX the digest the lock pins: the list's, or
 * the manifest's), copied out of their registries through the registry HTTP API: the manifest or list, every
 * manifest of a list, and every configuration and layer. For a build without the network they are copied into the
 * target registry when their own registry no longer has them.
 */
public final class VendoredImages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final RegistrySpec registry;
    private final LineSink log;

    /** @param registry whose credentials are used for the images in it, and where images are restored to */
    public VendoredImages(RegistrySpec registry, LineSink log) {
        this.registry = registry;
        this.log = log;
    }

    /** The digest a base is pinned by: its list's, else its own. */
    static String pinned(BuildLock.LockedBase base) {
        return base.index() != null ? base.index() : base.digest();
    }

    public static Path layout(Path vendor, String digest) {
        return vendor.resolve("images").resolve(Digests.hex(digest));
    }

    /** Copies every base image of the lock into {@code vendor}. */
    public void save(BuildLock lock, Path vendor) throws IOException, InterruptedException {
        for (BuildLock.LockedBase base : bases(lock).values()) {
            ImageReference image = RegistryClient.reference(base.image());
            RegistryClient client = RegistryClient.of(image.getRegistry(), registry);
            Path layout = layout(vendor, pinned(base));
            Path blobs = Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
            RegistryClient.Manifest top = client.manifest(image, pinned(base));
            List<RegistryClient.Manifest> manifests = new ArrayList<>(List.of(top));
            JsonNode topJson = JSON.readTree(top.body());
            for (JsonNode child : topJson.path("manifests")) {
                manifests.add(client.manifest(image, child.path("digest").asText()));
            }
            for (RegistryClient.Manifest m : manifests) {
                Files.write(blobs.resolve(Digests.hex(m.digest())), m.body());
                JsonNode json = JSON.readTree(m.body());
                List<String> digests = new ArrayList<>();
                if (json.has("config")) digests.add(json.path("config").path("digest").asText());
                json.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
                for (String d : digests) {
                    Path blob = blobs.resolve(Digests.hex(d));
                    if (!Files.exists(blob)) client.blobTo(image, d, blob);
                }
            }
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("mediaType", top.mediaType());
            descriptor.put("digest", top.digest());
            descriptor.put("size", top.body().length);
            descriptor.put("annotations", Map.of(REF_NAME, base.image()));
            Files.writeString(layout.resolve("index.json"), JSON.writeValueAsString(Map.of("schemaVersion", 2,
                    "manifests", List.of(descriptor))));
            log.line("vendored " + base.image() + "@" + pinned(base) + " as " + layout);
        }
    }

    /**
     * Where each base image of the lock is pulled from in a build without the network: its own registry when it
     * still has the pinned digest, else the target registry, into which the vendored copy is pushed first (under
     * the same repository when it is that registry, else under {@code vendor/HOST/REPOSITORY}).
     *
     * @return the pinned reference of each base, by the name the lock gives it
     */
    public Map<String, String> restore(BuildLock lock, Path vendor) throws IOException, InterruptedException {
        Map<String, String> pins = new LinkedHashMap<>();
        for (BuildLock.LockedBase base : bases(lock).values()) {
            ImageReference image = RegistryClient.reference(base.image());
            String digest = pinned(base);
            if (reachable(image, digest)) {
                pins.put(base.image(), PinBasesStep.withoutDigest(base.image()) + "@" + digest);
                continue;
            }
            if (registry == null) throw new IOException(base.image() + ": its registry does not have " + digest
                    + ", and there is no target registry to copy it into");
            String repository = image.getRegistry().equals(registry.host()) ? image.getRepository()
                    : "vendor/" + image.getRegistry().replace(':', '-').toLowerCase(java.util.Locale.ROOT) + "/"
                    + image.getRepository();
            ImageReference target = RegistryClient.reference(registry.host() + "/" + repository + "@" + digest);
            push(layout(vendor, digest), target, RegistryClient.of(registry.host(), registry));
            log.line(base.image() + ": copied from the vendor directory into " + registry.host() + "/" + repository);
            pins.put(base.image(), registry.host() + "/" + repository + "@" + digest);
        }
        return pins;
    }

    private boolean reachable(ImageReference image, String digest) throws InterruptedException {
        try {
            return RegistryClient.of(image.getRegistry(), registry).has(image, digest);
        } catch (IOException e) {
            return false; // an unreachable or refusing registry is what the vendored copy is for
        }
    }

    private static void push(Path layout, ImageReference target, RegistryClient client)
            throws IOException, InterruptedException {
        Path blobs = layout.resolve("blobs").resolve("sha256");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode top = index.path("manifests").get(0);
        if (top == null) throw new IOException(layout + ": index.json names no image");
        String topDigest = top.path("digest").asText();
        JsonNode topJson = JSON.readTree(blobs.resolve(Digests.hex(topDigest)).toFile());
        List<JsonNode> images = new ArrayList<>();
        for (JsonNode child : topJson.path("manifests")) images.add(child);
        if (images.isEmpty()) images.add(top);
        for (JsonNode m : images) {
            String digest = m.path("digest").asText();
            JsonNode json = JSON.readTree(blobs.resolve(Digests.hex(digest)).toFile());
            List<String> digests = new ArrayList<>();
            if (json.has("config")) digests.add(json.path("config").path("digest").asText());
            json.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
            for (String d : digests) client.pushBlob(target, d, blobs.resolve(Digests.hex(d)));
            if (!digest.equals(topDigest)) {
                client.pushManifest(target, digest, new RegistryClient.Manifest(
                        Files.readAllBytes(blobs.resolve(Digests.hex(digest))), m.path("mediaType").asText(), digest));
            }
        }
        client.pushManifest(target, topDigest, new RegistryClient.Manifest(
                Files.readAllBytes(blobs.resolve(Digests.hex(topDigest))), top.path("mediaType").asText(), topDigest));
    }

    /** The lock's base images, once each, by the digest they are pinned by. */
    private static Map<String, BuildLock.LockedBase> bases(BuildLock lock) throws IOException {
        Map<String, BuildLock.LockedBase> out = new LinkedHashMap<>();
        for (BuildLock.LockedUnit unit : lock.units()) {
            for (BuildLock.LockedBase base : unit.bases()) {
                if (base.digest() == null) {
                    throw new IOException(base.image() + ": the lock records no digest for it (" + base.problem()
                            + ")");
                }
                out.putIfAbsent(base.image() + "@" + pinned(base), base);
            }
        }
        return out;
    }
}
