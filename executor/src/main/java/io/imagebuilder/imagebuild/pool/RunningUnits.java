package io.imagebuilder.imagebuild.pool;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The units being built in the slots of one {@link HostSlots}, on which host and for whom: what a server shows of
 * its build hosts. The owner tag belongs to the thread that sets it and to the threads it starts (as
 * {@link SlotWaits}' listener), so a server's worker can mark the builds it runs with its job.
 */
public final class RunningUnits {

    /** One unit being built: its label (image reference and platform), the host, the tag of whoever runs it. */
    public record Unit(String host, String label, String owner, Instant since) {
    }

    private static final InheritableThreadLocal<String> OWNER = new InheritableThreadLocal<>();
    /** Keyed by identity: two units of one image and host started in the same instant are still two. */
    private final Set<Unit> now = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    RunningUnits() {
    }

    /** Marks the builds this thread starts from now on with {@code owner}; null stops marking them. */
    public static void tag(String owner) {
        if (owner == null) OWNER.remove();
        else OWNER.set(owner);
    }

    static String currentTag() {
        return OWNER.get();
    }

    Unit started(String host, String label, String owner) {
        Unit u = new Unit(host, label, owner, Instant.now());
        now.add(u);
        return u;
    }

    void ended(Unit unit) {
        now.remove(unit);
    }

    /** The units being built now, oldest first. */
    public List<Unit> now() {
        synchronized (now) {
            return now.stream().sorted(Comparator.comparing(Unit::since)).toList();
        }
    }
}
