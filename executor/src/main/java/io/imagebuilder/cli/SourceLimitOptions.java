package io.imagebuilder.cli;

import io.imagebuilder.imagebuild.source.SourceLimits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Bounds on fetched sources, for the commands that build. */
final class SourceLimitOptions {

    @Option(names = "--max-dockerfile-bytes", paramLabel = "BYTES",
            description = "Largest Dockerfile accepted (default: 1048576, 1 MiB).")
    Long maxDockerfileBytes;

    @Option(names = "--max-context-bytes", paramLabel = "BYTES",
            description = "Most bytes a tar archive source may expand to (default: 2147483648, 2 GiB).")
    Long maxContextBytes;

    /** Null when neither is given, so that the blueprint's defaults apply. */
    SourceLimits limits(CommandSpec spec) {
        if (maxDockerfileBytes == null && maxContextBytes == null) return null;
        positive(spec, "--max-dockerfile-bytes", maxDockerfileBytes);
        positive(spec, "--max-context-bytes", maxContextBytes);
        return SourceLimits.of(maxDockerfileBytes, maxContextBytes);
    }

    private static void positive(CommandSpec spec, String option, Long value) {
        if (value != null && value < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": must be at least 1, got "
                    + value);
        }
    }
}
