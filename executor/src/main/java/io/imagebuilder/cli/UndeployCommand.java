package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.deploy.DeploymentResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "undeploy", mixinStandardHelpOptions = true,
        description = "Runs stop and delete on every deployed node, in reverse dependency order.")
final class UndeployCommand implements Callable<Integer> {

    @Mixin
    StateOptions state;

    @Mixin
    TemplateSizeOption size;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "How many nodes may run at the same time (default: ${DEFAULT-VALUE}).")
    int workers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be at least 1");
        }
        Console console = new Console(spec.commandLine().getOut());
        DeploymentResult result;
        try (Interruptible interruptible = new Interruptible(console)) {
            ImageBuilder facade = new ImageBuilder(Path.of(""), size.maxBytes(), Main.SHARED_HOSTS);
            result = facade.undeploy(state.resolve(), workers, console, interruptible.cancellation());
        }
        var out = spec.commandLine().getOut();
        out.println();
        Summary.print(out, result.state());
        return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
