package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.tosca.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a template and its inputs. Exit 0 when valid, 2 with every problem listed.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    TemplateOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Topology t = new ImageBuilder(Path.of(""), options.size.maxBytes()).validate(options.template, options.inputs);
        spec.commandLine().getOut().println(t.templateName() + " is valid: " + t.nodes().size() + " node"
                + (t.nodes().size() == 1 ? "" : "s") + ", " + t.inputs().size() + " input"
                + (t.inputs().size() == 1 ? "" : "s") + ", " + t.outputs().size() + " output"
                + (t.outputs().size() == 1 ? "" : "s"));
        return ExitCodes.OK;
    }
}
