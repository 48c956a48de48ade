package io.imagebuilder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagebuild.BuildReport;
import io.imagebuilder.imagebuild.BuildRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import io.imagebuilder.imagebuild.lock.BuildLock;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds and pushes the images a build_params document describes (SODALITE's format, YAML or "
                + "JSON, on its own or under a top-level build_params key), by deploying "
                + "blueprints/docker_image_definition.yaml. Exit 0 when every image is pushed, 1 when the build "
                + "failed, 2 on invalid input (nothing is built).")
final class BuildCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUILD_PARAMS", description = "build_params file (.yaml or .json).")
    Path file;

    @Mixin
    BuildHostOptions buildHost;

    @Mixin
    SourceLimitOptions sourceLimits;

    @Option(names = "--max-concurrent-builds", paramLabel = "N", description = "Builds each engine runs at once.")
    Integer maxConcurrentBuilds;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit for fetching the source, and for "
            + "building and pushing, each; a build that outlasts it is stopped and fails (default: none).")
    Long timeoutSeconds;

    @Option(names = "--registry-password-stdin", description = "Read the registry password from standard input.")
    boolean passwordStdin;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep the deployment state here (default: a temporary directory, removed afterwards).")
    Path stateDir;

    /** Written beside the lock: the in-toto statements attached to the images, as a JSON list. */
    static final String PROVENANCE_FILE = "image-builder.provenance.json";

    @Option(names = "--lock-file", paramLabel = "FILE", description = "Where a successful build writes what it was "
            + "made from (default: ${DEFAULT-VALUE}).", defaultValue = BuildLock.FILE_NAME)
    Path lockFile;

    @Option(names = "--locked", paramLabel = "LOCK", description = "Rebuild exactly what this lock records: git "
            + "sources at its commits, downloads with its hashes, base images pinned by its digests; a mismatch fails "
            + "before anything is built.")
    Path locked;

    @Option(names = "--offline", paramLabel = "DIR", description = "Rebuild the lock in DIR (written by vendor) "
            + "from what DIR holds, without the network: git from its bundles, downloads from its files, base images "
            + "pushed into the target registry first when their own registry does not have them.")
    Path offline;

    @Option(names = "--dry-run", description = "Print what would be built and pushed, and build nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print a machine-readable result on standard output (progress goes "
            + "to standard error).")
    boolean json;

    @Mixin
    TemplateSizeOption size;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BuildRequest request = request();
        if (locked != null && offline != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--offline builds the lock of its directory; "
                    + "give --locked or --offline, not both");
        }
        if (locked != null || offline != null) {
            BuildLock lock = locked != null ? LockFiles.read(spec, locked, "--locked ")
                    : LockFiles.read(spec, offline.resolve(BuildLock.FILE_NAME), "--offline ");
            if (lock == null) return ExitCodes.INVALID_INPUT;
            request = request.withLock(lock, offline);
        }
        var out = spec.commandLine().getOut();
        ImageBuilder facade = new ImageBuilder(Path.of(""), size.maxBytes(), Main.SHARED_HOSTS, Main.TEMPLATES);
        if (dryRun) {
            BuildReport plan = facade.planBuild(request);
            out.print(json ? toJson(plan) : plan.text());
            out.flush();
            return ExitCodes.OK;
        }
        Console console = new Console(json ? spec.commandLine().getErr() : out);
        BuildReport report;
        try (Interruptible interruptible = new Interruptible(console)) {
            report = facade.build(request, console, interruptible.cancellation());
        }
        if (report.lock() != null) {
            BuildLock.fromMap(report.lock()).write(lockFile);
            console.line("lock written to " + lockFile);
        }
        if (!report.provenance().isEmpty()) {
            Path statements = lockFile.toAbsolutePath().resolveSibling(PROVENANCE_FILE);
            Files.writeString(statements, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report.provenance()) + "\n");
            console.line("provenance written to " + statements);
        }
        out.print(json ? toJson(report) : report.text());
        out.flush();
        return report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The build the arguments ask for. */
    BuildRequest request() throws IOException {
        BuildHostSettings settings = buildHost.settings(spec, maxConcurrentBuilds,
                Seconds.positive(spec, "--timeout", timeoutSeconds), sourceLimits.limits(spec));
        return new BuildRequest(file, settings, passwordStdin ? PasswordStdin.read(spec, "--registry-password-stdin") : null, stateDir);
    }

    private static String toJson(BuildReport report) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson())
                + "\n";
    }
}
