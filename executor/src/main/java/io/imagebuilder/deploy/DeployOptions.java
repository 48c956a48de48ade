package io.imagebuilder.deploy;

import java.nio.file.Path;

/**
 * How to run a deployment. {@code stateDirectory} null means {@code .image-builder} beside the template.
 * {@code resume} continues an unfinished deployment; {@code cleanState} discards any previous state first.
 */
public record DeployOptions(int workers, boolean resume, boolean cleanState, Path stateDirectory) {

    public DeployOptions {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        if (resume && cleanState) throw new IllegalArgumentException("--resume and --clean-state exclude each other");
    }

    public static DeployOptions defaults() {
        return new DeployOptions(1, false, false, null);
    }
}
