package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.imagebuild.params.Platform;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Chooses the next unit of work and the host it runs on. A host builds a platform natively when it can,
 * otherwise by emulation; units that few hosts build natively go first, so that they are not crowded out; a
 * rebuild goes to the host whose copy of the image is the newest (its layer cache is there); then the host with
 * the most room, then the order the hosts were given in.
 */
final class UnitScheduler {

    private UnitScheduler() {
    }

    /** A unit waiting to be built: its platform and the tag its image has on a host after a build. */
    record Waiting(Platform platform, String tag) {
    }

    record Choice(int unit, PoolHost host, boolean emulated) {
    }

    /**
     * @param waiting units ready to run, in the order they were asked for
     * @return null when no waiting unit can run on a free host now
     */
    static <U> Choice next(List<U> waiting, Function<U, Waiting> describe, List<PoolHost> hosts) {
        Choice best = null;
        Comparator<Candidate> order = Comparator.comparingInt((Candidate c) -> c.emulated ? 1 : 0)
                .thenComparingLong(c -> c.nativeHosts)
                .thenComparingInt(c -> c.affinity)
                .thenComparingDouble(c -> c.load)
                .thenComparingInt(c -> c.unit)
                .thenComparingInt(c -> c.host.index());
        Candidate chosen = null;
        for (int i = 0; i < waiting.size(); i++) {
            Waiting w = describe.apply(waiting.get(i));
            long natives = hosts.stream().filter(h -> h.usable() && h.isNative(w.platform())).count();
            PoolHost newest = newestCopy(w.tag(), hosts);
            for (PoolHost h : hosts) {
                if (!h.free() || !h.canBuild(w.platform())) continue;
                int affinity = newest == null ? 1 : newest == h ? 0 : 2;
                Candidate c = new Candidate(i, h, !h.isNative(w.platform()), natives, affinity,
                        (double) h.load() / h.maxBuilds());
                if (chosen == null || order.compare(c, chosen) < 0) chosen = c;
            }
        }
        if (chosen != null) best = new Choice(chosen.unit, chosen.host, chosen.emulated);
        return best;
    }

    /** The usable host holding the newest image under {@code tag}, or null when none has it. */
    private static PoolHost newestCopy(String tag, List<PoolHost> hosts) {
        PoolHost newest = null;
        Instant when = null;
        for (PoolHost h : hosts) {
            Instant t = h.copyOf(tag);
            if (t != null && (when == null || t.isAfter(when))) {
                newest = h;
                when = t;
            }
        }
        return newest;
    }

    private record Candidate(int unit, PoolHost host, boolean emulated, long nativeHosts, int affinity, double load) {
    }
}
