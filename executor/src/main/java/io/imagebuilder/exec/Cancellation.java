package io.imagebuilder.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets a run be cancelled from another thread (Ctrl-C, SIGTERM, a cancelled build): every process started under
 * it is stopped, with its child processes, and no new one starts.
 */
public final class Cancellation {

    private final List<Runnable> stoppers = new ArrayList<>();
    private boolean cancelled;

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    public void cancel() {
        List<Runnable> toStop;
        synchronized (this) {
            if (cancelled) return;
            cancelled = true;
            toStop = new ArrayList<>(stoppers);
        }
        toStop.forEach(Runnable::run);
    }

    /** Registers a stopper for a running process; false when already cancelled (the caller must not start). */
    synchronized boolean register(Runnable stopper) {
        if (cancelled) return false;
        stoppers.add(stopper);
        return true;
    }

    synchronized void unregister(Runnable stopper) {
        stoppers.remove(stopper);
    }
}
