package io.imagebuilder.imagebuild.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.util.Digests;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attaches an in-toto statement with a SLSA v1 provenance predicate to every pushed image (each platform's
 * manifest, and the list joining them): its subject is the image's digest, its resolved dependencies the lock's
 * materials and base images. It is pushed as an OCI artifact whose {@code subject} is the image, found through the
 * referrers API, and tagged {@code sha256-HEX.att} (the tag schema, for registries without that API).
 */
public final class AttachProvenanceStep {

    static final String STATEMENT = "https://in-toto.io/Statement/v1";
    static final String SLSA = "https://slsa.dev/provenance/v1";
    static final String BUILD_TYPE = "urn:image-builder:build:v1";
    static final String IN_TOTO = "application/vnd.in-toto+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistrySpec registry;
    private final LineSink log;

    public AttachProvenanceStep(RegistrySpec registry, LineSink log) {
        this.registry = registry;
        this.log = log;
    }

    /** One attached statement: what it is about, the tag it is attached under, and the statement itself. */
    public record Attached(String subject, String reference, Map<String, Object> statement) {

        public Map<String, Object> toAttribute() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", subject);
            m.put("attestation", reference);
            m.put("statement", statement);
            return m;
        }
    }

    public List<Attached> run(BuildLock lock, BuildOutcome outcome, Instant started, Instant finished)
            throws IOException, InterruptedException {
        List<Attached> out = new ArrayList<>();
        Map<String, List<BuildLock.LockedUnit>> bySubject = new LinkedHashMap<>();
        for (int i = 0; i < outcome.images().size(); i++) {
            PushedImage image = outcome.images().get(i);
            BuildLock.LockedUnit unit = i < lock.units().size() ? lock.units().get(i) : null;
            if (unit == null) continue;
            String name = AttachArtifactStep.name(image.reference());
            bySubject.computeIfAbsent(name + "@" + image.digest(), k -> new ArrayList<>()).add(unit);
            if (image.manifestList() != null) {
                bySubject.computeIfAbsent(name + "@" + image.manifestList(), k -> new ArrayList<>()).add(unit);
            }
        }
        for (var e : bySubject.entrySet()) {
            String subject = e.getKey();
            Map<String, Object> statement = statement(subject, lock, e.getValue(), started, finished);
            out.add(new Attached(subject, attach(subject, statement), statement));
        }
        return out;
    }

    private Map<String, Object> statement(String subject, BuildLock lock, List<BuildLock.LockedUnit> units,
                                          Instant started, Instant finished) {
        String digest = subject.substring(subject.indexOf('@') + 1);
        Map<String, Object> external = new LinkedHashMap<>();
        external.put("images", units.stream().map(u -> Map.of("reference", u.reference(), "platform",
                u.platform())).toList());
        external.put("build_args", lock.buildArgs());
        external.put("mounted", lock.mounted());
        List<Map<String, Object>> dependencies = new ArrayList<>();
        for (Material m : lock.materials()) {
            if (m.commit() != null) {
                dependencies.add(Map.of("uri", "git+" + m.location() + "@" + m.version(), "digest",
                        Map.of("gitCommit", m.commit())));
            } else if (m.sha256() != null) {
                dependencies.add(Map.of("uri", m.location(), "digest", Map.of("sha256", Digests.hex(m.sha256()))));
            }
        }
        List<String> engines = new ArrayList<>();
        for (BuildLock.LockedUnit u : units) {
            for (BuildLock.LockedBase b : u.bases()) {
                if (b.digest() == null) continue;
                Map<String, Object> d = Map.of("uri", "pkg:docker/" + b.image() + "?platform="
                        + u.platform().replace("/", "%2F"), "digest", Map.of("sha256", Digests.hex(b.digest())));
                if (!dependencies.contains(d)) dependencies.add(d);
            }
            if (u.engine() != null && !engines.contains(u.engine())) engines.add(u.engine());
        }
        Map<String, Object> buildDefinition = new LinkedHashMap<>();
        buildDefinition.put("buildType", BUILD_TYPE);
        buildDefinition.put("externalParameters", external);
        buildDefinition.put("internalParameters", Map.of("dockerfiles", units.stream()
                .map(BuildLock.LockedUnit::dockerfile).filter(java.util.Objects::nonNull).distinct().toList()));
        buildDefinition.put("resolvedDependencies", dependencies);
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("executor", lock.executor());
        if (!engines.isEmpty()) version.put("engines", String.join(", ", engines));
        Map<String, Object> runDetails = new LinkedHashMap<>();
        runDetails.put("builder", Map.of("id", "urn:image-builder:executor", "version", version));
        runDetails.put("metadata", Map.of("startedOn", started.toString(), "finishedOn", finished.toString()));
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("buildDefinition", buildDefinition);
        predicate.put("runDetails", runDetails);
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("_type", STATEMENT);
        statement.put("subject", List.of(Map.of("name", AttachArtifactStep.name(subject), "digest",
                Map.of("sha256", Digests.hex(digest)))));
        statement.put("predicateType", SLSA);
        statement.put("predicate", predicate);
        return statement;
    }

    /** Pushes the statement as an artifact referring to the subject; returns the reference it is tagged as. */
    private String attach(String subject, Map<String, Object> statement) throws IOException, InterruptedException {
        String reference = new AttachArtifactStep(registry).run(subject, IN_TOTO, JSON.writeValueAsBytes(statement),
                Map.of("in-toto.io/predicate-type", SLSA), "att");
        log.line("provenance of " + subject + " attached as " + reference);
        return reference;
    }
}
