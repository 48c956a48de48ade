package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.tosca.TemplateCache;
import io.imagebuilder.yaml.YamlReader;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The image-builder command line. */
@Command(name = "image-builder", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Builds container images on remote Docker hosts from TOSCA blueprints.")
public final class Main implements Runnable {

    /** The commands by name, in the order help lists them; each name is the one its @Command declares. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> c = new LinkedHashMap<>();
        c.put("validate", ValidateCommand::new);
        c.put("plan", PlanCommand::new);
        c.put("deploy", DeployCommand::new);
        c.put("undeploy", UndeployCommand::new);
        c.put("notify", NotifyCommand::new);
        c.put("status", StatusCommand::new);
        c.put("outputs", OutputsCommand::new);
        c.put("build", BuildCommand::new);
        c.put("verify", VerifyCommand::new);
        c.put("vendor", VendorCommand::new);
        c.put("convert", ConvertCommand::new);
        c.put("serve", ServeCommand::new);
        c.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(c);
    }

    /**
     * The build slots and client capabilities of this process: builds run side by side in it (as commands run
     * in one JVM) share each host's limit.
     */
    static final SharedHosts SHARED_HOSTS = SharedHosts.create();

    /** The bundled blueprint, read while a build's arguments are parsed. */
    static final TemplateCache TEMPLATES = new TemplateCache();

    /** Deep dependency chains recurse deeply; a large stack keeps them from overflowing. */
    private static final long STACK_SIZE = 512L * 1024 * 1024;

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("build")) prepareBuild();
        int[] exit = new int[1];
        Thread worker = new Thread(null, () -> exit[0] = run(args), "image-builder", STACK_SIZE);
        worker.start();
        worker.join();
        endHttpSelectors();
        System.exit(exit[0]);
    }

    /**
     * Reads the bundled blueprint on another thread while this one parses the arguments: a build's first YAML
     * document and type check cost as much as picocli's reading of the command, and both are needed before the
     * build host is connected to. A build with another --max-template-bytes reads the blueprint again itself.
     */
    private static void prepareBuild() {
        Thread t = new Thread(() -> {
            try {
                ImageBuilder.prepareBuilds(Path.of(""), YamlReader.DEFAULT_MAX_BYTES, TEMPLATES);
            } catch (RuntimeException e) {
                // the build's own load meets the same problem and reports it
            }
        }, "image-builder-prepare");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Ends the selector threads of the JDK's HTTP clients (registry requests), idle once the command has finished.
     * They wait in native code, and the JVM's exit waits 0.3 s for any thread still there.
     */
    private static void endHttpSelectors() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
                t.interrupt();
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command line, every command included. */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS.keySet());
    }

    /**
     * The command line for these arguments: when they start with a command other than help, only that command is
     * built. Picocli reads every option of every command it is given, and a short run need not pay for the rest.
     */
    public static CommandLine commandLine(String... args) {
        boolean one = args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help");
        return commandLine(one ? Set.of(args[0]) : COMMANDS.keySet());
    }

    private static CommandLine commandLine(Set<String> names) {
        CommandLine cl = new CommandLine(new Main());
        COMMANDS.forEach((name, command) -> {
            if (names.contains(name)) cl.addSubcommand(name, command.get());
        });
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
            return new String[] {io.imagebuilder.util.ProductVersion.text()};
        }
    }
}
