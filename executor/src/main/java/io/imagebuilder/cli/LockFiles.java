package io.imagebuilder.cli;

import io.imagebuilder.imagebuild.lock.BuildLock;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** A lock file read for a command: build --locked or --offline, verify, vendor. */
final class LockFiles {

    private LockFiles() {
    }

    /**
     * The lock in {@code file}, or null once standard error says why it cannot be read; the command then exits
     * with {@link ExitCodes#INVALID_INPUT}.
     *
     * @param prefix put before the reason, such as the option that named the file ("--locked "), or ""
     */
    static BuildLock read(CommandSpec spec, Path file, String prefix) {
        try {
            return BuildLock.read(file);
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + prefix + e.getMessage());
            err.flush();
            return null;
        }
    }
}
