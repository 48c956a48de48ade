package io.imagebuilder.imagebuild.params;

import java.util.Map;

/** SODALITE's build_params document, checked: where the source comes from and what to produce. */
public record BuildParams(Source source, Target target, Map<String, String> buildArgs, Map<String, String> labels) {

    public BuildParams {
        buildArgs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }
}
