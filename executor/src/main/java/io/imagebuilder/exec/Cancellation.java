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
    private boolean recordedWork;
    private Runnable detach = () -> { };

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

    /**
     * Marks the start of work that records what it does (a deployment's state), so that whoever cancels knows to
     * wait for it to stop; false, and the work must not start, when already cancelled. Until then (reading and
     * checking the input) there is nothing to lose by ending the process at once.
     */
    public synchronized boolean beginRecordedWork() {
        if (cancelled) return false;
        recordedWork = true;
        return true;
    }

    public synchronized boolean hasRecordedWork() {
        return recordedWork;
    }

    /**
     * A cancellation that is cancelled with this one and can also be cancelled alone, as when a part of the run has
     * a time limit of its own. {@link #detach()} it once that part is over.
     */
    public Cancellation child() {
        Cancellation child = new Cancellation();
        Runnable stopper = child::cancel;
        if (!register(stopper)) child.cancel();
        child.detach = () -> unregister(stopper);
        return child;
    }

    /** Stops following the cancellation this one is a child of. */
    public void detach() {
        detach.run();
    }

    /** Registers a stopper for a running process; false when already cancelled (the caller must not start). */
    public synchronized boolean register(Runnable stopper) {
        if (cancelled) return false;
        stoppers.add(stopper);
        return true;
    }

    public synchronized void unregister(Runnable stopper) {
        stoppers.remove(stopper);
    }
}
