package io.imagebuilder.imagebuild.params;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SODALITE's build_params document, checked: where the source comes from and what to produce, with this product's
 * additions: build arguments, labels, secrets that RUN steps mount, a CA bundle every RUN step trusts
 * ({@code proxyCa}, a file on the executor's machine, or null), and a BuildKit cache to reuse and push ({@code cache},
 * or null).
 */
public record BuildParams(Source source, Target target, Map<String, String> buildArgs, Map<String, String> labels,
                          List<BuildSecret> secrets, String proxyCa, CacheSpec cache) {

    public BuildParams {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        secrets = List.copyOf(secrets);
    }

    /** Parameters with no secrets, proxy CA or cache. */
    public BuildParams(Source source, Target target, Map<String, String> buildArgs, Map<String, String> labels) {
        this(source, target, buildArgs, labels, List.of(), null, null);
    }

    public BuildParams withLabels(Map<String, String> other) {
        return new BuildParams(source, target, buildArgs, other, secrets, proxyCa, cache);
    }

    /** Whether RUN steps need BuildKit's secret mounts. */
    public boolean mountsSecrets() {
        return !secrets.isEmpty() || proxyCa != null;
    }

}
