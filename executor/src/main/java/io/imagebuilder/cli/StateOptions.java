package io.imagebuilder.cli;

import io.imagebuilder.deploy.Deployments;
import io.imagebuilder.deploy.state.StateStore;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** Where a deployment's state is: --state-dir, else .image-builder beside TEMPLATE, else in this directory. */
final class StateOptions {

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Deployment state directory (default: .image-builder beside the template, or in the "
                    + "current directory when no template is given).")
    Path stateDir;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEMPLATE",
            description = "The deployed template; only used to find its state directory.")
    Path template;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    Path resolve() {
        if (stateDir != null) return stateDir;
        if (template != null) return Deployments.defaultStateDirectory(template);
        return Path.of(StateStore.DEFAULT_DIRECTORY).toAbsolutePath();
    }
}
