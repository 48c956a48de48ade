package io.imagebuilder.imagebuild.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The only SSH identity and host keys used to clone over SSH: the user's {@code ~/.ssh} is never read, so what a
 * build may reach does not depend on the account the builder runs under.
 */
public record SshSettings(Path privateKey, Path knownHosts) {

    public SshSettings {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
    }
}
