package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.S3Spec;
import io.imagebuilder.imagebuild.params.Target;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every build of a run is given beside its Dockerfile and context: build arguments, labels, the files of the
 * secrets its RUN steps may mount, by id, and where the images go (pushed, kept on the build host, or to S3).
 */
public record BuildOptions(Map<String, String> buildArgs, Map<String, String> labels, Map<String, Path> secrets,
                           Target.Publish publish, S3Spec s3) {

    public BuildOptions {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    public static BuildOptions of(BuildParams params, SecretFiles secrets) {
        return new BuildOptions(params.buildArgs(), params.labels(), secrets.files(), params.target().publish(),
                params.target().s3());
    }

    public static BuildOptions none() {
        return new BuildOptions(Map.of(), Map.of(), Map.of(), Target.Publish.REGISTRY, null);
    }
}
