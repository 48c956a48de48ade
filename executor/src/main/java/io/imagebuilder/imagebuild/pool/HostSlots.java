package io.imagebuilder.imagebuild.pool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds running on each engine, whichever run started them. A server runs several builds at once, and a
 * deployment with several images runs them side by side; an engine's max_concurrent_builds holds for all of them
 * together, not for each. So whoever runs builds makes one and hands it to every run that should share the limits:
 * a server one for all its builds, a command line run its own.
 */
public final class HostSlots {

    private final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final RunningUnits units = new RunningUnits();

    /** What is being built in these slots now. */
    public RunningUnits units() {
        return units;
    }

    /** Takes one of the host's {@code max} slots; false when all are taken. */
    boolean take(String host, int max) {
        AtomicInteger n = running.computeIfAbsent(host, h -> new AtomicInteger());
        while (true) {
            int now = n.get();
            if (now >= max) return false;
            if (n.compareAndSet(now, now + 1)) return true;
        }
    }

    void give(String host) {
        AtomicInteger n = running.get(host);
        if (n != null) n.decrementAndGet();
    }

    int running(String host) {
        AtomicInteger n = running.get(host);
        return n == null ? 0 : n.get();
    }
}
