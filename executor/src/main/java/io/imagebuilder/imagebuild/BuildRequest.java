package io.imagebuilder.imagebuild;

import io.imagebuilder.imagebuild.lock.BuildLock;

import java.nio.file.Path;

/**
 * A direct build: a build_params file and the build host settings given next to it (those not given come from the
 * file, the environment, or the blueprint's defaults). {@code registryPassword} is kept out of toString.
 * {@code host}'s timeout limits fetching the source, and building and pushing, each. {@code document} (null: read
 * {@code file}) is the document itself, for a caller that must not write its passwords to a file; {@code file} then
 * only names it in messages. It is kept out of toString too. {@code lock} (or null) is the lock the build is held to, and {@code vendor} (or null) the directory its assets are
 * taken from instead of the network.
 */
public record BuildRequest(Path file, BuildHostSettings host, String registryPassword, Path stateDirectory,
                           String document, BuildLock lock, Path vendor) {

    public BuildRequest {
        if (host == null) host = BuildHostSettings.none();
    }

    public BuildRequest(Path file, BuildHostSettings host, String registryPassword, Path stateDirectory,
                        String document) {
        this(file, host, registryPassword, stateDirectory, document, null, null);
    }

    /** This build held to a lock, with its assets taken from {@code vendorDirectory} (or, null, the network). */
    public BuildRequest withLock(BuildLock other, Path vendorDirectory) {
        return new BuildRequest(file, host, registryPassword, stateDirectory, document, other, vendorDirectory);
    }

    /** A build of the document in {@code file}. */
    public BuildRequest(Path file, BuildHostSettings host, String registryPassword, Path stateDirectory) {
        this(file, host, registryPassword, stateDirectory, null);
    }

    @Override
    public String toString() {
        return "BuildRequest[file=" + file + ", dockerHosts=" + host.dockerHosts() + "]";
    }
}
