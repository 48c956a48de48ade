package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.deploy.Notification;
import io.imagebuilder.deploy.TriggerRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Runs a policy trigger on a deployed topology: the operations its action calls, on each of its "
                + "target nodes, recording their results like deploy. Exit 0 when all ran, 1 when one failed, 2 on "
                + "invalid input such as an unknown trigger or a topology that is not deployed (nothing was run).")
final class NotifyCommand implements Callable<Integer> {

    @Mixin
    StateOptions state;

    @Mixin
    TemplateSizeOption size;

    @Option(names = {"--trigger", "-t", "--event", "-e"}, required = true, paramLabel = "NAME",
            description = "The trigger to run, by its name or its event; every trigger that answers runs.")
    String trigger;

    @Option(names = {"--notification", "-n"}, paramLabel = "FILE",
            description = "A file (JSON, say) whose text every operation the trigger runs receives as the input "
                    + "\"notification\".")
    Path notification;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Notification given = notification == null ? null : Notification.read(notification);
        Console console = new Console(spec.commandLine().getOut());
        TriggerRun run;
        try (Interruptible interruptible = new Interruptible(console)) {
            run = new ImageBuilder(Path.of(""), size.maxBytes()).notify(state.resolve(), trigger, given, console,
                    interruptible.cancellation());
        }
        var out = spec.commandLine().getOut();
        out.println();
        for (TriggerRun.Ran r : run.ran()) {
            out.println("ran " + r.operation() + " on " + r.node() + " (trigger " + r.trigger() + " of policy "
                    + r.policy() + ")");
        }
        if (!run.succeeded()) {
            out.println("FAILED " + run.failure().operation() + " on " + run.failure().node() + ": "
                    + run.failure().reason());
            out.flush();
            return ExitCodes.FAILED;
        }
        out.flush();
        return ExitCodes.OK;
    }
}
