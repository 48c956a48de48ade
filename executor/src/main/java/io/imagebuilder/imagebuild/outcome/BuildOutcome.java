package io.imagebuilder.imagebuild.outcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build pushed (for a Dockerfile build, in the order of its units), the tags it left on each build host (for clean-up, keyed by the host's docker_host), what
 * became of each build host (its probe, its platforms, how many units it built, why it was left out), the
 * build's lock as plain data (null until it is recorded, and for a build that failed), the provenance attached to
 * each pushed image (subject, attestation, statement), and the SBOM attached to each (subject, sbom, packages,
 * files).
 */
public record BuildOutcome(List<PushedImage> images, Map<String, List<String>> hostTags,
                           List<Map<String, Object>> hosts, Map<String, Object> lock,
                           List<Map<String, Object>> provenance, List<Map<String, Object>> sboms) {

    public BuildOutcome(List<PushedImage> images, Map<String, List<String>> hostTags,
                        List<Map<String, Object>> hosts) {
        this(images, hostTags, hosts, null, List.of(), List.of());
    }

    public BuildOutcome withLock(Map<String, Object> value, List<Map<String, Object>> attached,
                                 List<Map<String, Object>> attachedSboms) {
        return new BuildOutcome(images, hostTags, hosts, value, attached, attachedSboms);
    }

    public BuildOutcome {
        images = List.copyOf(images);
        Map<String, List<String>> tags = new LinkedHashMap<>();
        hostTags.forEach((k, v) -> tags.put(k, List.copyOf(v)));
        hostTags = java.util.Collections.unmodifiableMap(tags);
        hosts = List.copyOf(hosts);
        provenance = provenance == null ? List.of() : List.copyOf(provenance);
        sboms = sboms == null ? List.of() : List.copyOf(sboms);
    }

    /** As the image definition's attributes hold it: images, host_tags and build_hosts. */
    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images.stream().map(PushedImage::toAttribute).toList());
        m.put("host_tags", hostTags);
        m.put("build_hosts", hosts);
        if (lock != null) m.put("lock", lock);
        if (!provenance.isEmpty()) m.put("provenance", provenance);
        if (!sboms.isEmpty()) m.put("sboms", sboms);
        return m;
    }
}
