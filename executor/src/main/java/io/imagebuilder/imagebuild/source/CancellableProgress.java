package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import org.eclipse.jgit.lib.EmptyProgressMonitor;

/** Lets a running JGit fetch or checkout notice a cancellation: JGit polls isCancelled while it works. */
final class CancellableProgress extends EmptyProgressMonitor {

    private final Cancellation cancellation;

    CancellableProgress(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    @Override
    public boolean isCancelled() {
        return cancellation.isCancelled() || Thread.currentThread().isInterrupted();
    }
}
