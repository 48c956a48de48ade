package io.imagebuilder.imagebuild;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a direct build, or, for a dry run, what it would do. {@code images} holds what was pushed
 * (reference, digest, platform, manifest_list) or, planned, what would be (reference, platforms, base).
 * {@code hostTags} are the image tags the build left on each build host (by docker host), for whoever removes them
 * later; they are not part of the report shown. {@code lock} is what a successful build was made from (see
 * {@code image-builder.lock.json}), or null, {@code provenance} the statements attached to its images, and
 * {@code sboms} the SBOMs (subject, reference, number of packages and files).
 */
public record BuildReport(String status, String buildHost, String registry, List<Map<String, Object>> images,
                          Double durationSeconds, String error, String stateDirectory,
                          Map<String, List<String>> hostTags, Map<String, Object> lock,
                          List<Map<String, Object>> provenance, List<Map<String, Object>> sboms) {

    public BuildReport {
        images = List.copyOf(images);
        provenance = provenance == null ? List.of() : List.copyOf(provenance);
        sboms = sboms == null ? List.of() : List.copyOf(sboms);
        hostTags = hostTags == null ? Map.of() : Map.copyOf(hostTags);
    }

    public boolean succeeded() {
        return "succeeded".equals(status) || "planned".equals(status);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("build_host", buildHost);
        out.put("registry", registry);
        out.put("images", images);
        if (durationSeconds != null) out.put("duration_seconds", durationSeconds);
        if (error != null) out.put("error", error);
        if (stateDirectory != null) out.put("state_directory", stateDirectory);
        if (lock != null) out.put("lock", lock);
        // where each statement went; the statements themselves are in the provenance file
        if (!provenance.isEmpty()) out.put("provenance", provenance.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>(p);
            m.remove("statement");
            return m;
        }).toList());
        if (!sboms.isEmpty()) out.put("sboms", sboms);
        return out;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        if ("planned".equals(status)) {
            sb.append("Would build on ").append(buildHost).append(" and push to ").append(registry).append(":\n");
            for (Map<String, Object> i : images) {
                sb.append("  ").append(i.get("reference")).append("  for ").append(i.get("platforms"));
                if (i.get("base") != null) sb.append("  on base ").append(i.get("base"));
                sb.append('\n');
            }
            return sb.toString();
        }
        sb.append('\n');
        for (Map<String, Object> i : images) {
            sb.append("pushed ").append(i.get("reference")).append('@').append(i.get("digest")).append("  (")
                    .append(i.get("platform")).append(")\n");
            if (i.get("manifest_list") != null && i == images.stream()
                    .filter(x -> x.get("reference").equals(i.get("reference"))).reduce((a, b) -> b).orElse(null)) {
                sb.append("  manifest list ").append(i.get("reference")).append('@').append(i.get("manifest_list"))
                        .append('\n');
            }
        }
        sb.append("build ").append(status);
        if (durationSeconds != null) sb.append(String.format(Locale.ROOT, " in %.1f s", durationSeconds));
        sb.append('\n');
        if (error != null) sb.append("error: ").append(error).append('\n');
        if (stateDirectory != null) sb.append("state and logs kept in ").append(stateDirectory).append('\n');
        return sb.toString();
    }
}
