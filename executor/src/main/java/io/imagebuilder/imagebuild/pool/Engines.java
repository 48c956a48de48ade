package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.steps.LoginStep;

import java.util.concurrent.CompletableFuture;

/** Connects to build hosts; a host that cannot be reached throws, saying why. */
@FunctionalInterface
interface Engines {

    EngineSession open(BuildHost host, LineSink log, Cancellation cancellation) throws BuildException;

    /** The check of the run's login to {@code registry}, started now unless one was started ahead. */
    default CompletableFuture<Void> login(RegistrySpec registry, LineSink log) {
        return checkLogin(registry, log);
    }

    /** Starts checking the login to {@code registry} ({@link LoginStep}) on another thread. */
    static CompletableFuture<Void> checkLogin(RegistrySpec registry, LineSink log) {
        return Futures.supply(() -> {
            LoginStep.run(registry, log);
            return null;
        });
    }
}
