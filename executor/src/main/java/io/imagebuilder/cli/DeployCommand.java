package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.deploy.DeployOptions;
import io.imagebuilder.deploy.DeploymentResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploys a template: runs every node's lifecycle operations in dependency order. "
                + "Exit 0 when deployed, 1 when an operation failed (the state is kept for --resume), 2 on "
                + "invalid input (nothing was run).")
final class DeployCommand implements Callable<Integer> {

    @Mixin
    TemplateOptions options;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "How many nodes may run at the same time (default: ${DEFAULT-VALUE}).")
    int workers;

    @CommandLine.ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--resume", description = "Continue an unfinished deployment, skipping what completed.")
        boolean resume;

        @Option(names = "--clean-state", description = "Forget any previous deployment state and start over.")
        boolean cleanState;
    }

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Deployment state directory (default: .image-builder beside the template).")
    Path stateDir;

    @Option(names = "--operation-timeout", paramLabel = "SECONDS", description = "Time limit for every operation "
            + "whose implementation sets no timeout of its own (default: none).")
    Long operationTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be at least 1");
        }
        java.time.Duration timeout = Seconds.positive(spec, "--operation-timeout", operationTimeout);
        Console console = new Console(spec.commandLine().getOut());
        DeploymentResult result;
        try (Interruptible interruptible = new Interruptible(console)) {
            ImageBuilder facade = new ImageBuilder(Path.of(""), options.size.maxBytes(), Main.SHARED_HOSTS);
            result = facade.deploy(options.template, options.inputs, new DeployOptions(workers, mode.resume,
                    mode.cleanState, stateDir, timeout), console, interruptible.cancellation());
        }
        var out = spec.commandLine().getOut();
        out.println();
        Summary.print(out, result.state());
        if (!result.succeeded()) {
            out.println("State kept in " + result.stateDirectory() + "; fix the cause and run the same deploy "
                    + "command with --resume.");
            out.flush();
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
