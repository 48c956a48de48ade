package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.plan.Plan;
import io.imagebuilder.plan.PlanPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Prints the deployment plan: nodes in dependency order with the operations each runs and "
                + "their resolved inputs (secrets shown as ****).")
final class PlanCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    TemplateOptions options;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Plan plan = new ImageBuilder(Path.of(""), options.size.maxBytes()).plan(options.template, options.inputs);
        spec.commandLine().getOut().print(format == Format.json ? PlanPrinter.json(plan) : PlanPrinter.text(plan));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
