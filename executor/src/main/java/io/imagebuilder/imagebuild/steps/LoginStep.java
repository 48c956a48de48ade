package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Logs the docker client in to the target registry. The password goes through standard input, never argv; the
 * client gets it again for pulls and pushes from the connection's credential helper, so it is never in a file.
 */
public final class LoginStep {

    private LoginStep() {
    }

    public static void run(DockerClient docker, RegistrySpec registry, LineSink log) throws BuildException {
        var credentials = registry.credentials();
        if (credentials == null || credentials.username() == null || credentials.password() == null) {
            log.line("no credentials for " + registry.host() + "; pushing anonymously");
            return;
        }
        log.line("logging in to " + registry.host() + " as " + credentials.username());
        docker.useCredentials(registry.host(), credentials.username(), credentials.password().value());
        docker.require("logging in to " + registry.host() + " as " + credentials.username(),
                List.of("login", "--username", credentials.username(), "--password-stdin", registry.host()),
                credentials.password().value().getBytes(StandardCharsets.UTF_8),
                // the client would warn that it stores the password unencrypted; it hands it to the credential
                // helper instead, so only its success is worth showing
                line -> {
                    if (line.startsWith("Login Succeeded")) log.line(line);
                });
    }
}
