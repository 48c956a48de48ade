package io.imagebuilder.tosca;

import io.imagebuilder.tosca.load.Sources;
import io.imagebuilder.tosca.types.TypeSystem;

import java.nio.file.Path;

/**
 * A template read and type-checked without inputs, by {@link ToscaLoader#prepare}. Nothing changes it afterwards
 * (rendering only reads the types and the syntax tree), so one may be rendered with many inputs at once.
 * {@code workingDirectory} and {@code maxBytes} are the preparing loader's: file names in messages are relative to
 * the one, and every file was read under the other.
 */
public record PreparedTemplate(Sources sources, TypeSystem types, Path workingDirectory, long maxBytes) {

    public PreparedTemplate {
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    boolean preparedBy(Path directory, long bytes) {
        return workingDirectory.equals(directory.toAbsolutePath().normalize()) && maxBytes == bytes;
    }
}
