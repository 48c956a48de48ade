package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Runs steps that throw {@link BuildException} side by side, and gets their exception back unwrapped. */
final class Futures {

    private Futures() {
    }

    interface Action<T> {
        T get() throws BuildException;
    }

    static <T> CompletableFuture<T> supply(Action<T> action) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return action.get();
            } catch (BuildException e) {
                throw new CompletionException(e);
            }
        });
    }

    static <T> T join(CompletableFuture<T> f) throws BuildException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BuildException b) throw b;
            throw new BuildException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
