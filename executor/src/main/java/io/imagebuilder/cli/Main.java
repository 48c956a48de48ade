package io.imagebuilder.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The image-builder command line. */
@Command(name = "image-builder", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Builds container images on remote Docker hosts from TOSCA blueprints.",
        subcommands = {ValidateCommand.class, PlanCommand.class, DeployCommand.class, UndeployCommand.class,
                StatusCommand.class, OutputsCommand.class, BuildCommand.class, ConvertCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Deep dependency chains recurse deeply; a large stack keeps them from overflowing. */
    private static final long STACK_SIZE = 512L * 1024 * 1024;

    public static void main(String[] args) throws InterruptedException {
        int[] exit = new int[1];
        Thread worker = new Thread(null, () -> exit[0] = run(args), "image-builder", STACK_SIZE);
        worker.start();
        worker.join();
        System.exit(exit[0]);
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler(Errors::usage);
        return cl;
    }

    /** This command as picocli runs it, with the output streams and handlers the caller set. */
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"image-builder " + (v == null ? "development build" : v)};
        }
    }
}
