package io.imagebuilder.imagebuild.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory only this user can enter, for what must not be read by others while a build runs (SSH control
 * sockets, the docker client's credentials, build secrets). Unix socket paths are limited to about 100 bytes, so it
 * lives directly under the temporary directory; its name holds this process's id, so that a later process removes
 * the directories of one that was killed before it could ({@link LeftDirectories}).
 */
public final class PrivateDirectory {

    private PrivateDirectory() {
    }

    public static Path create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        LeftDirectories.removeOnce(tmp);
        return Files.createTempDirectory(tmp, LeftDirectories.prefix(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
