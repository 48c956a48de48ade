package io.imagebuilder.imagebuild.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.util.ProductVersion;
import io.imagebuilder.util.Trees;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.LicenseInfoFactory;
import org.spdx.library.ModelCopyManager;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.Checksum;
import org.spdx.library.model.v2.ReferenceType;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxFile;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.library.model.v2.enumerations.ChecksumAlgorithm;
import org.spdx.library.model.v2.enumerations.ReferenceCategory;
import org.spdx.library.model.v2.enumerations.RelationshipType;
import org.spdx.library.model.v2.license.SpdxNoAssertionLicense;
import org.spdx.storage.IModelStore;
import org.spdx.storage.simple.InMemSpdxStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attaches an SPDX 2.3 JSON SBOM to every pushed image of one platform, made with the SPDX Java library from the
 * image itself as its registry holds it: the packages its package databases list (dpkg's status, apk's installed,
 * each with its package URL) and every regular file with its SHA-1. It is pushed beside the image as an OCI artifact
 * referring to it, tagged {@code sha256-HEX.sbom}.
 */
public final class AttachSbomStep {

    static final String SPDX_JSON = "application/spdx+json";
    private static final String TOOL = "io.imagebuilder.sbom.tool";
    private static final String PACKAGES = "io.imagebuilder.sbom.packages";
    private static final String FILES = "io.imagebuilder.sbom.files";
    /** Raised whenever what an SBOM holds changes, so that SBOMs made before are made again. */
    private static final String REVISION = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The SPDX model, loaded once per process. */
    private static final class Model {
        static {
            // the licence list comes from the library's jar, not from spdx.org: builds run without the internet
            System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
            System.setProperty("SPDXParser.OnlyUseLocalLicenses", "true");
            SpdxModelFactory.init();
        }

        static void load() {
            // loading the class is the work
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PREPARED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final RegistrySpec registry;
    private final LineSink log;
    private final Path scratch;

    /**
     * Loads the SPDX model (and its licence list) on another thread, so that it loads while the layers of the first
     * image that needs an SBOM are read rather than after; once per process. A rebuild whose images all have their
     * SBOMs already never loads it.
     */
    private static void prepare() {
        if (!PREPARED.compareAndSet(false, true)) return;
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                document("warm-up/sbom@sha256:" + "0".repeat(64), "linux/amd64", new ImageContents(Map.of(),
                        List.of()));
            } catch (IOException ignored) {
                // the real document will say what is wrong
            }
        });
    }

    /** @param scratch a private directory for the layers while they are read */
    public AttachSbomStep(RegistrySpec registry, LineSink log, Path scratch) {
        this.registry = registry;
        this.log = log;
        this.scratch = scratch;
    }

    /** The SBOMs attached: subject, the reference each is tagged as, and its number of packages and files. */
    public List<Map<String, Object>> run(BuildOutcome outcome) throws IOException, InterruptedException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PushedImage image : outcome.images()) {
            String subject = AttachArtifactStep.name(image.reference()) + "@" + image.digest();
            Map<String, Object> kept = attached(subject);
            if (kept != null) {
                log.line("SBOM of " + subject + " kept: " + kept.get("sbom") + " already describes it");
                out.add(kept);
                continue;
            }
            prepare();
            ImageContents contents = contents(subject);
            byte[] sbom = document(subject, image.platform(), contents);
            String reference = new AttachArtifactStep(registry).run(subject, SPDX_JSON, sbom, Map.of(
                    TOOL, maker(), PACKAGES, String.valueOf(contents.packages().size()),
                    FILES, String.valueOf(contents.files().size())), "sbom");
            log.line("SBOM of " + subject + " (" + contents.packages().size() + " packages, "
                    + contents.files().size() + " files) attached as " + reference);
            out.add(attribute(subject, reference, contents.packages().size(), contents.files().size()));
        }
        return out;
    }

    private static String maker() {
        return ProductVersion.text() + ", SBOM revision " + REVISION;
    }

    private static Map<String, Object> attribute(String subject, String reference, int packages, int files) {
        return Map.of("subject", subject, "sbom", reference, "packages", packages, "files", files);
    }

    /**
     * The SBOM this version of the program already attached to the image, or null. An image's digest fixes its
     * contents, so a rebuild that pushed the same image (a cached one) need not read its layers again.
     */
    private Map<String, Object> attached(String subject) throws IOException, InterruptedException {
        ImageReference image = RegistryClient.reference(subject);
        String digest = subject.substring(subject.indexOf('@') + 1);
        String tag = AttachArtifactStep.tag(digest, "sbom");
        RegistryClient.Manifest m = RegistryClient.of(image.getRegistry(), registry).manifestIfAny(image, tag);
        if (m == null) return null;
        JsonNode manifest = JSON.readTree(m.body());
        JsonNode annotations = manifest.path("layers").path(0).path("annotations");
        if (!SPDX_JSON.equals(manifest.path("artifactType").asText())
                || !digest.equals(manifest.path("subject").path("digest").asText())
                || !maker().equals(annotations.path(TOOL).asText())) {
            return null;
        }
        try {
            return attribute(subject, AttachArtifactStep.name(subject) + ":" + tag,
                    Integer.parseInt(annotations.path(PACKAGES).asText()),
                    Integer.parseInt(annotations.path(FILES).asText()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ImageContents contents(String subject) throws IOException, InterruptedException {
        ImageReference image = RegistryClient.reference(subject);
        RegistryClient client = RegistryClient.of(image.getRegistry(), registry);
        JsonNode manifest = JSON.readTree(client.manifest(image, subject.substring(subject.indexOf('@') + 1)).body());
        Path layers = Files.createDirectories(scratch.resolve("layers"));
        try {
            List<Path> files = new ArrayList<>();
            for (JsonNode layer : manifest.path("layers")) {
                Path file = layers.resolve(String.valueOf(files.size()));
                client.blobTo(image, layer.path("digest").asText(), file);
                files.add(file);
            }
            return ImageContents.read(files);
        } finally {
            Trees.delete(layers);
        }
    }

    /** One document at a time: the SPDX library's copying of licences into a new document is not thread-safe. */
    static synchronized byte[] document(String subject, String platform, ImageContents contents) throws IOException {
        Model.load();
        try {
            MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
            String uri = "urn:image-builder:sbom:" + subject.replace('@', ':');
            SpdxDocument doc = new SpdxDocument(store, uri, new ModelCopyManager(), true);
            doc.setSpecVersion("SPDX-2.3");
            doc.setName(subject);
            doc.setDataLicense(LicenseInfoFactory.parseSPDXLicenseStringCompatV2("CC0-1.0"));
            doc.setCreationInfo(doc.createCreationInfo(List.of("Tool: " + ProductVersion.text().replace(' ', '-')),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
            SpdxPackage root = pkg(doc, store, AttachArtifactStep.name(subject), subject.substring(
                    subject.indexOf('@') + 1), "pkg:oci/" + lastSegment(subject) + "@"
                    + subject.substring(subject.indexOf('@') + 1).replace(":", "%3A") + "?repository_url="
                    + AttachArtifactStep.name(subject) + "&platform=" + platform.replace("/", "%2F"));
            doc.getDocumentDescribes().add(root);
            for (ImageContents.Package p : contents.packages()) {
                String purl = "pkg:" + p.manager() + "/" + (p.manager().equals("deb") ? "debian" : "alpine") + "/"
                        + p.name() + "@" + p.version() + (p.architecture() == null ? "" : "?arch=" + p.architecture());
                root.addRelationship(doc.createRelationship(pkg(doc, store, p.name(), p.version(), purl),
                        RelationshipType.CONTAINS, null));
            }
            for (var f : contents.files().entrySet()) {
                Checksum sha1 = doc.createChecksum(ChecksumAlgorithm.SHA1, f.getValue().sha1());
                SpdxFile file = doc.createSpdxFile(store.getNextId(IModelStore.IdType.SpdxId), "./" + f.getKey(),
                        new SpdxNoAssertionLicense(), List.of(), "NOASSERTION", sha1).build();
                root.addRelationship(doc.createRelationship(file, RelationshipType.CONTAINS, null));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.serialize(out);
            return out.toByteArray();
        } catch (InvalidSPDXAnalysisException e) {
            throw new IOException("cannot write the SBOM of " + subject + ": " + e.getMessage(), e);
        }
    }

    private static SpdxPackage pkg(SpdxDocument doc, IModelStore store, String name, String version, String purl)
            throws InvalidSPDXAnalysisException {
        SpdxPackage p = doc.createPackage(store.getNextId(IModelStore.IdType.SpdxId), name,
                        new SpdxNoAssertionLicense(), "NOASSERTION", new SpdxNoAssertionLicense())
                .setFilesAnalyzed(false).setDownloadLocation("NOASSERTION").setVersionInfo(version).build();
        p.getExternalRefs().add(doc.createExternalRef(ReferenceCategory.PACKAGE_MANAGER,
                new ReferenceType("http://spdx.org/rdf/references/purl"), purl, null));
        return p;
    }

    private static String lastSegment(String subject) {
        String name = AttachArtifactStep.name(subject);
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
