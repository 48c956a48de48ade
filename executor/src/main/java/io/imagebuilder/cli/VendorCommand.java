package io.imagebuilder.cli;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.imagebuild.lock.BuildLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "vendor", mixinStandardHelpOptions = true,
        description = "Copies every asset a lock records into DIR, for build --offline DIR: base images as OCI "
                + "image layouts (images/HEX), git commits as bundles (git/COMMIT.bundle), downloads and local "
                + "archives as files (files/HEX), each checked against the lock, and the lock itself. Exit 0 when "
                + "all is copied, 1 when an asset cannot be, 2 when LOCK cannot be read.")
final class VendorCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOCK", description = "A lock file, such as image-builder.lock.json.")
    Path file;

    @Parameters(index = "1", paramLabel = "DIR", description = "The directory to fill; made when missing.")
    Path directory;

    @Mixin
    LockRegistryOptions registry;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        BuildLock lock = LockFiles.read(spec, file, "");
        if (lock == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        new ImageBuilder(Path.of("")).vendor(lock, directory, registry.registry(spec, lock), new Console(out));
        out.println("vendored into " + directory);
        out.flush();
        return ExitCodes.OK;
    }
}
