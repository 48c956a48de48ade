package io.imagebuilder.imagebuild.pool;

/**
 * Tells whoever started a build when it waits for a build slot that other builds hold, and when it builds again.
 * The listener belongs to the thread that sets it and to the threads that thread starts, so a build run through a
 * deployment (whose operations run on threads of their own) reaches the caller's listener.
 */
public final class SlotWaits {

    /** Told each time a build starts or stops waiting for a slot. */
    @FunctionalInterface
    public interface Listener {
        void waiting(boolean forSlot);
    }

    private static final Listener NONE = forSlot -> { };
    private static final InheritableThreadLocal<Listener> CURRENT = new InheritableThreadLocal<>();

    private SlotWaits() {
    }

    /** Listens to the builds this thread starts from now on; null stops listening. */
    public static void listen(Listener listener) {
        if (listener == null) CURRENT.remove();
        else CURRENT.set(listener);
    }

    static Listener current() {
        Listener l = CURRENT.get();
        return l == null ? NONE : l;
    }
}
