package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.HostPlatforms;
import io.imagebuilder.imagebuild.host.HostProbe;
import io.imagebuilder.imagebuild.params.Platform;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class UnitSchedulerTest {

    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final Function<UnitScheduler.Waiting, UnitScheduler.Waiting> SAME = w -> w;

    private static PoolHost host(int index, int max, List<Platform> natives, List<String> binfmt) {
        return host(index, max, natives, binfmt, new HostSlots(), null, Map.of());
    }

    private static PoolHost host(int index, int max, List<Platform> natives, List<String> binfmt, HostSlots slots,
                                 Platform engine, Map<String, Instant> tags) {
        PoolHost h = new PoolHost(index, new BuildHost("ssh://root@h" + index + ":22", null, "docker",
                natives, max, "none"), slots);
        h.connected(new HostProbe("20.10", engine), HostPlatforms.of(natives, engine, binfmt), tags);
        return h;
    }

    private static UnitScheduler.Waiting unit(Platform p, String tag) {
        return new UnitScheduler.Waiting(p, tag);
    }

    /** Assigns until nothing more fits, as the run does, and returns "unit@host" for each choice. */
    private static List<String> assignAll(List<UnitScheduler.Waiting> waiting, List<PoolHost> hosts) {
        List<UnitScheduler.Waiting> left = new ArrayList<>(waiting);
        List<String> out = new ArrayList<>();
        UnitScheduler.Choice c;
        while ((c = UnitScheduler.next(left, SAME, hosts)) != null) {
            UnitScheduler.Waiting w = left.remove(c.unit());
            assertThat(c.host().take(List.of(w.tag()))).isTrue();
            out.add(w.tag() + "@" + c.host().index() + (c.emulated() ? " emulated" : ""));
        }
        return out;
    }

    @Test
    void fillsEveryHostUpToItsLimitAndNoFurther() {
        List<PoolHost> hosts = List.of(host(0, 2, List.of(AMD64), List.of()), host(1, 1, List.of(AMD64), List.of()));
        List<String> placed = assignAll(List.of(unit(AMD64, "a"), unit(AMD64, "b"), unit(AMD64, "c"),
                unit(AMD64, "d")), hosts);
        assertThat(placed).hasSize(3);
        assertThat(hosts.get(0).load()).isEqualTo(2);
        assertThat(hosts.get(1).load()).isEqualTo(1);
        // the least loaded host gets each next unit
        assertThat(placed).containsExactly("a@0", "b@1", "c@0");
    }

    @Test
    void slotsTakenByOtherRunsOfTheProcessCount() {
        HostSlots slots = new HostSlots();
        List<PoolHost> hosts = List.of(host(0, 2, List.of(AMD64), List.of(), slots, null, Map.of()),
                host(1, 2, List.of(AMD64), List.of(), slots, null, Map.of()));
        // another run holds both slots of host 0 and one of host 1
        assertThat(slots.take(hosts.get(0).name(), 2)).isTrue();
        assertThat(slots.take(hosts.get(0).name(), 2)).isTrue();
        assertThat(slots.take(hosts.get(0).name(), 2)).as("beyond the limit").isFalse();
        assertThat(slots.take(hosts.get(1).name(), 2)).isTrue();

        assertThat(hosts.get(0).busyElsewhere()).isTrue();
        assertThat(assignAll(List.of(unit(AMD64, "a"), unit(AMD64, "b")), hosts)).containsExactly("a@1");

        slots.give(hosts.get(0).name());
        assertThat(hosts.get(0).busyElsewhere()).isFalse();
        assertThat(assignAll(List.of(unit(AMD64, "b")), hosts)).containsExactly("b@0");
    }

    @Test
    void aNativeHostIsPreferredAndTheScarceUnitGoesFirst() {
        PoolHost amd = host(0, 1, List.of(AMD64), List.of("qemu-aarch64"));
        PoolHost arm = host(1, 1, List.of(ARM64, AMD64), List.of());
        // the arm64 unit is listed last, but only one host builds it natively, so it is placed first
        List<String> placed = assignAll(List.of(unit(AMD64, "x"), unit(ARM64, "y")), List.of(amd, arm));
        assertThat(placed).containsExactly("y@1", "x@0");
    }

    @Test
    void aUnitIsEmulatedWhenNoNativeHostIsFreeAndNeverWhereNeitherWorks() {
        PoolHost amd = host(0, 1, List.of(AMD64), List.of("qemu-aarch64"));
        PoolHost arm = host(1, 1, List.of(ARM64), List.of());
        assertThat(arm.take(List.of("busy"))).isTrue();
        assertThat(assignAll(List.of(unit(ARM64, "y")), List.of(amd, arm))).containsExactly("y@0 emulated");

        PoolHost plain = host(2, 1, List.of(AMD64), List.of());
        assertThat(assignAll(List.of(unit(ARM64, "z")), List.of(plain))).isEmpty();
    }

    @Test
    void aRebuildGoesToTheHostWithTheNewestCopyOfItsImage() {
        PoolHost first = host(0, 1, List.of(AMD64), List.of(), new HostSlots(), null,
                Map.of("r/app:1", Instant.parse("2026-01-01T00:00:00Z")));
        PoolHost second = host(1, 1, List.of(AMD64), List.of(), new HostSlots(), null,
                Map.of("r/app:1", Instant.parse("2026-02-01T00:00:00Z")));
        assertThat(assignAll(List.of(unit(AMD64, "r/app:1")), List.of(first, second))).containsExactly("r/app:1@1");

        // a failed host's copy does not count
        second.lost("gone");
        assertThat(assignAll(List.of(unit(AMD64, "r/app:1")), List.of(first, second))).containsExactly("r/app:1@0");
    }

    @Test
    void aUnitWithoutAPlatformRunsOnAnyHostAsItsEngineBuildsNatively() {
        PoolHost arm = host(0, 1, List.of(ARM64), List.of(), new HostSlots(), ARM64, Map.of());
        assertThat(assignAll(List.of(unit(null, "a")), List.of(arm))).containsExactly("a@0");
        assertThat(arm.platformOf(null)).isEqualTo(ARM64);
        assertThat(arm.platformOf(AMD64)).isEqualTo(AMD64);
    }

    @Test
    void failedAndUnreachableHostsGetNothing() {
        PoolHost failed = host(0, 4, List.of(AMD64), List.of());
        failed.lost("the engine did not answer");
        PoolHost unreachable = new PoolHost(1, new BuildHost("ssh://x", null, "docker", List.of(AMD64), 4,
                "none"), new HostSlots());
        unreachable.unreachable("cannot connect");
        assertThat(assignAll(List.of(unit(AMD64, "a")), List.of(failed, unreachable))).isEmpty();
    }
}
