package io.imagebuilder.deploy;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a deployment. {@code stateDirectory} null means {@code .image-builder} beside the template.
 * {@code resume} continues an unfinished deployment; {@code cleanState} discards any previous state first.
 * {@code operationTimeout} (null: none) limits every operation whose implementation sets no timeout of its own.
 */
public record DeployOptions(int workers, boolean resume, boolean cleanState, Path stateDirectory,
                            Duration operationTimeout) {

    public DeployOptions {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        if (resume && cleanState) throw new IllegalArgumentException("--resume and --clean-state exclude each other");
        if (operationTimeout != null && (operationTimeout.isNegative() || operationTimeout.isZero())) {
            throw new IllegalArgumentException("the operation timeout must be positive, got " + operationTimeout);
        }
    }

    public DeployOptions(int workers, boolean resume, boolean cleanState, Path stateDirectory) {
        this(workers, resume, cleanState, stateDirectory, null);
    }

    public static DeployOptions defaults() {
        return new DeployOptions(1, false, false, null);
    }
}
