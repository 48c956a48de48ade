package io.imagebuilder.cli;

import io.imagebuilder.deploy.Console;
import io.imagebuilder.exec.Cancellation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM cancel the running operations; the JVM then waits for them to stop and for the state to be
 * saved before it exits. While the input is still being read and checked there is nothing to save, and the JVM
 * exits at once.
 */
final class Interruptible implements AutoCloseable {

    private static final long GRACE_SECONDS = 60;

    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    Interruptible(Console console) {
        hook = new Thread(() -> {
            cancellation.cancel();
            if (!cancellation.hasRecordedWork()) {
                console.line("interrupted");
                return;
            }
            console.line("interrupted: stopping running operations and saving the state...");
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "image-builder-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and is waiting for exactly this close
        }
    }
}
