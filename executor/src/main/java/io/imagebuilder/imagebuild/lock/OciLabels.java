package io.imagebuilder.imagebuild.lock;

import io.imagebuilder.imagebuild.source.Material;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI labels a build sets unless build_params gives them: {@code org.opencontainers.image.source} (the
 * repository or URL the source came from), and for a git repository {@code .revision} (the commit) and
 * {@code .created} (the commit's time, not the build's, so that rebuilds of one commit match).
 */
public final class OciLabels {

    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String CREATED = "org.opencontainers.image.created";

    private static final List<String> SOURCE_FIELDS = List.of("git_repo.url", "dockerfile.url", "tar.url");

    private OciLabels() {
    }

    /** {@code given} with the labels the materials tell added where it does not set them. */
    public static Map<String, String> with(Map<String, String> given, List<Material> materials) {
        Map<String, String> out = new LinkedHashMap<>(given);
        materials.stream().filter(m -> SOURCE_FIELDS.contains(m.field())).findFirst().ifPresent(m -> {
            out.putIfAbsent(SOURCE, m.location());
            if (m.commit() != null) out.putIfAbsent(REVISION, m.commit());
            if (m.committed() != null) out.putIfAbsent(CREATED, m.committed());
        });
        return out;
    }
}
