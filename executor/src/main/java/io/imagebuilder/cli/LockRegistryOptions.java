package io.imagebuilder.cli;

import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Secret;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;

/** The registry credentials of the commands that read a lock's base images: verify and vendor. */
final class LockRegistryOptions {

    @Option(names = "--registry", paramLabel = "HOST[:PORT]", description = "The registry the credentials are "
            + "for (default: the registry of the lock's first image); images elsewhere are asked anonymously.")
    String registry;

    @Option(names = "--registry-user", paramLabel = "USER", description = "User name for --registry.")
    String user;

    @Option(names = "--registry-password-stdin", description = "Read the password for --registry from standard "
            + "input.")
    boolean passwordStdin;

    /** The registry the options name, with its credentials, or null when neither they nor the lock name one. */
    RegistrySpec registry(CommandSpec spec, BuildLock lock) throws IOException {
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
