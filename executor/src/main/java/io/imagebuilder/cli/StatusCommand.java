package io.imagebuilder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.state.DeploymentState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows each node's state, last operation, when it ran and how long it took.")
final class StatusCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    StateOptions state;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DeploymentState s = new ImageBuilder(Path.of("")).status(state.resolve());
        var out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
            out.flush();
        } else {
            Summary.print(out, s);
        }
        return ExitCodes.OK;
    }
}
