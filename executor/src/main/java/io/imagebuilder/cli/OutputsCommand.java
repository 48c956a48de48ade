package io.imagebuilder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagebuilder.ImageBuilder;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "outputs", mixinStandardHelpOptions = true,
        description = "Prints the deployment's outputs, evaluated against what its operations recorded.")
final class OutputsCommand implements Callable<Integer> {

    enum Format { yaml, json }

    @Mixin
    StateOptions state;

    @Mixin
    TemplateSizeOption size;

    @Option(names = "--format", defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> outputs = new ImageBuilder(Path.of(""), size.maxBytes()).outputs(state.resolve());
        var out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(outputs));
        } else if (!outputs.isEmpty()) {
            out.print(new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
                    .dumpToString(outputs));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
