package io.imagebuilder.imagebuild.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.util.Digests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes a document about an image beside it, as an OCI artifact: an image manifest with the artifact's type, an
 * empty configuration, the document as its one layer, and the image as its {@code subject} (so that registries with
 * the OCI 1.1 referrers API list it there), tagged {@code sha256-HEX.SUFFIX} (the tag schema, for registries
 * without that API).
 */
final class AttachArtifactStep {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String EMPTY = "application/vnd.oci.empty.v1+json";
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistrySpec registry;

    AttachArtifactStep(RegistrySpec registry) {
        this.registry = registry;
    }

    /**
     * @param subject the image, as NAME@DIGEST
     * @param annotations of the document's layer
     * @return the reference the artifact is tagged as
     */
    String run(String subject, String artifactType, byte[] document, Map<String, String> annotations, String suffix)
            throws IOException, InterruptedException {
        ImageReference image = RegistryClient.reference(subject);
        RegistryClient client = RegistryClient.of(image.getRegistry(), registry);
        String digest = subject.substring(subject.indexOf('@') + 1);
        RegistryClient.Manifest target = client.manifest(image, digest);
        String documentDigest = Digests.sha256(document);
        client.pushBlob(image, documentDigest, document);
        String emptyDigest = Digests.sha256(EMPTY_JSON);
        client.pushBlob(image, emptyDigest, EMPTY_JSON);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        manifest.put("config", Map.of("mediaType", EMPTY, "digest", emptyDigest, "size", EMPTY_JSON.length));
        manifest.put("layers", List.of(Map.of("mediaType", artifactType, "digest", documentDigest, "size",
                document.length, "annotations", annotations)));
        manifest.put("subject", Map.of("mediaType", target.mediaType(), "digest", digest, "size",
                target.body().length));
        byte[] body = JSON.writeValueAsBytes(manifest);
        String tag = tag(digest, suffix);
        client.pushManifest(image, tag, new RegistryClient.Manifest(body, OCI_MANIFEST, Digests.sha256(body)));
        return name(subject) + ":" + tag;
    }

    /** The tag schema's name for a document about the image of {@code digest}. */
    static String tag(String digest, String suffix) {
        return "sha256-" + Digests.hex(digest) + "." + suffix;
    }

    /** The repository of a reference, without its tag or digest. */
    static String name(String reference) {
        int at = reference.indexOf('@');
        String name = at < 0 ? reference : reference.substring(0, at);
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(0, colon) : name;
    }
}
