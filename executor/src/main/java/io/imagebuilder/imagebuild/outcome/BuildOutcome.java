package io.imagebuilder.imagebuild.outcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build pushed, the tags it left on each build host (for clean-up, keyed by the host's docker_host), and
 * what became of each build host (its probe, its platforms, how many units it built, why it was left out).
 */
public record BuildOutcome(List<PushedImage> images, Map<String, List<String>> hostTags,
                           List<Map<String, Object>> hosts) {

    public BuildOutcome {
        images = List.copyOf(images);
        Map<String, List<String>> tags = new LinkedHashMap<>();
        hostTags.forEach((k, v) -> tags.put(k, List.copyOf(v)));
        hostTags = java.util.Collections.unmodifiableMap(tags);
        hosts = List.copyOf(hosts);
    }

    /** As the image definition's attributes hold it: images, host_tags and build_hosts. */
    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images.stream().map(PushedImage::toAttribute).toList());
        m.put("host_tags", hostTags);
        m.put("build_hosts", hosts);
        return m;
    }
}
