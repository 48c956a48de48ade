package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.lock.VerifyLockStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks that every asset a lock records still exists and matches: each base image's manifest "
                + "in its registry (a HEAD request by digest), each git version at its recorded commit (its refs "
                + "listed), each download with its recorded SHA-256 (fetched again). One line per asset; exit 0 "
                + "when all match, 1 when one does not, 2 when LOCK cannot be read.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOCK", description = "A lock file, such as image-builder.lock.json.")
    Path file;

    @Mixin
    LockRegistryOptions registry;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        BuildLock lock = LockFiles.read(spec, file, "");
        if (lock == null) return ExitCodes.INVALID_INPUT;
        List<VerifyLockStep.Check> checks = new ImageBuilder(Path.of("")).verify(lock,
                registry.registry(spec, lock));
        int failed = 0;
        for (VerifyLockStep.Check c : checks) {
            String status = c.problem() == null ? "ok" : c.ok() ? "unchecked" : "FAILED";
            out.println(status + "  " + c.kind() + "  " + c.asset() + (c.problem() == null ? "" : ": " + c.problem()));
            if (!c.ok()) failed++;
        }
        out.println(failed == 0 ? "all " + checks.size() + " assets match" : failed + " of " + checks.size()
                + " assets do not match");
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
