package io.imagebuilder.cli;

import io.imagebuilder.yaml.YamlReader;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The size bound on every file a command reads as YAML: templates, imports, inputs and build_params. */
final class TemplateSizeOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private long maxBytes = YamlReader.DEFAULT_MAX_BYTES;

    @Option(names = YamlReader.MAX_BYTES_OPTION, paramLabel = "BYTES", defaultValue = "" + YamlReader.DEFAULT_MAX_BYTES,
            description = "Refuse a template, imported file, inputs or build_params file larger than this "
                    + "(default: ${DEFAULT-VALUE}, 64 MiB).")
    void maxBytes(long bytes) {
        if (bytes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    YamlReader.MAX_BYTES_OPTION + " must be at least 1");
        }
        maxBytes = bytes;
    }

    long maxBytes() {
        return maxBytes;
    }
}
