package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;

import java.io.IOException;

/**
 * Logs in to the target registry once per run: its credentials are checked from this process, as {@code docker
 * login} checks them, before anything is built. The docker client never logs in itself: it gets the credentials for
 * pulls and pushes from the connection's credential helper, so they are never in argv or in a file.
 */
public final class LoginStep {

    private LoginStep() {
    }

    /** Checks the credentials; a registry given none is pushed to anonymously. */
    public static void run(RegistrySpec registry, LineSink log) throws BuildException {
        var credentials = registry.credentials();
        if (!hasCredentials(registry)) {
            log.line("no credentials for " + registry.host() + "; pushing anonymously");
            return;
        }
        String what = "logging in to " + registry.host() + " as " + credentials.username();
        log.line(what);
        try {
            new RegistryClient(credentials, RegistryClient.plainHttp(registry, registry.host()))
                    .checkLogin(registry.host());
        } catch (IOException e) {
            throw new BuildException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException(what + ": interrupted");
        }
        log.line("Login Succeeded");
    }

    /** Gives the registry's credentials to {@code docker} for every later pull and push. */
    public static void handTo(DockerClient docker, RegistrySpec registry) throws BuildException {
        if (!hasCredentials(registry)) return;
        var credentials = registry.credentials();
        docker.useCredentials(registry.host(), credentials.username(), credentials.password().value());
    }

    private static boolean hasCredentials(RegistrySpec registry) {
        var credentials = registry.credentials();
        return credentials != null && credentials.username() != null && credentials.password() != null;
    }
}
