package io.imagebuilder.imagebuild.pool;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The units this process builds now, on which host and for whom: what a server shows of its build hosts. The
 * owner tag belongs to the thread that sets it and to the threads it starts (as {@link SlotWaits}' listener), so a
 * server's worker can mark the builds it runs with its job.
 */
public final class RunningUnits {

    /** One unit being built: its label (image reference and platform), the host, the tag of whoever runs it. */
    public record Unit(String host, String label, String owner, Instant since) {
    }

    private static final InheritableThreadLocal<String> OWNER = new InheritableThreadLocal<>();
    /** Keyed by identity: two units of one image and host started in the same instant are still two. */
    private static final Set<Unit> NOW = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

    private RunningUnits() {
    }

    /** Marks the builds this thread starts from now on with {@code owner}; null stops marking them. */
    public static void tag(String owner) {
        if (owner == null) OWNER.remove();
        else OWNER.set(owner);
    }

    static String currentTag() {
        return OWNER.get();
    }

    static Unit started(String host, String label, String owner) {
        Unit u = new Unit(host, label, owner, Instant.now());
        NOW.add(u);
        return u;
    }

    static void ended(Unit unit) {
        NOW.remove(unit);
    }

    /** The units being built now, oldest first. */
    public static List<Unit> now() {
        synchronized (NOW) {
            return NOW.stream().sorted(Comparator.comparing(Unit::since)).toList();
        }
    }
}
