package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.lock.VerifyLockStep;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Secret;
import picocli.CommandLine.Command;
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

    @Option(names = "--registry", paramLabel = "HOST[:PORT]", description = "The registry the credentials are "
            + "for (default: the registry of the lock's first image); images elsewhere are asked anonymously.")
    String registry;

    @Option(names = "--registry-user", paramLabel = "USER", description = "User name for --registry.")
    String user;

    @Option(names = "--registry-password-stdin", description = "Read the password for --registry from standard "
            + "input.")
    boolean passwordStdin;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        BuildLock lock;
        try {
            lock = BuildLock.read(file);
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
        List<VerifyLockStep.Check> checks = new ImageBuilder(Path.of("")).verify(lock, registry(lock));
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

    private RegistrySpec registry(BuildLock lock) throws IOException {
        String host = registry;
        if (host == null && !lock.units().isEmpty()) {
            String reference = lock.units().get(0).reference();
            int slash = reference.indexOf('/');
            host = slash < 0 ? null : reference.substring(0, slash);
        }
        if (host == null) return null;
        Secret password = passwordStdin ? Secret.of(PasswordStdin.read(spec, "--registry-password-stdin")) : null;
        return new RegistrySpec(host, new Credentials(user, password), false);
    }
}
