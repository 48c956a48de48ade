package io.imagebuilder.build.pool;

import io.imagebuilder.build.host.BuildHost;
import io.imagebuilder.build.host.DockerCli;
import io.imagebuilder.build.host.EngineConnection;
import io.imagebuilder.build.host.HostPlatforms;
import io.imagebuilder.build.host.HostProbe;
import io.imagebuilder.build.params.Platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One build host during one run: how it is reached, what its probe found, how many builds it runs now, and
 * whether it is still used. Guarded by the run's lock, except for the connection and client, which are set
 * once before scheduling starts.
 */
final class PoolHost {

    final int index;
    final BuildHost spec;
    EngineConnection connection;
    DockerCli docker;
    HostProbe probe;
    HostPlatforms platforms = new HostPlatforms(Set.of(), Set.of());
    /** Why the host is not (or no longer) used in this run; null while it is usable. */
    String problem;
    /** An error that ends the run whichever host is used, such as a refused registry login. */
    String fatal;
    /** Builds of this run on the host. */
    int running;
    /** Builds on the host across the process, this run's included. */
    HostSlots slots = new HostSlots();
    int built;
    /** Image tags on the host and when their images were made: where a rebuild finds its layer cache. */
    Map<String, Instant> tags = Map.of();
    /** Tags this run created on the host, for clean-up. */
    final Set<String> created = new LinkedHashSet<>();

    PoolHost(int index, BuildHost spec) {
        this.index = index;
        this.spec = spec;
    }

    String name() {
        return spec.dockerHost();
    }

    boolean usable() {
        return problem == null && docker != null;
    }

    /** Builds on the host now, this run's and those of other runs in the process. */
    int load() {
        return Math.max(running, slots.running(name()));
    }

    boolean free() {
        return usable() && load() < spec.maxConcurrentBuilds();
    }

    /** Whether only builds of other runs keep this usable host from taking more. */
    boolean busyElsewhere() {
        return usable() && running < spec.maxConcurrentBuilds() && !free();
    }

    /** A unit without a platform is built for whatever the engine's own platform is, which every host has. */
    boolean isNative(Platform p) {
        return p == null || platforms.isNative(p);
    }

    boolean canBuild(Platform p) {
        return p == null || platforms.canBuild(p);
    }

    /** The platform a unit built here has: its own, else the engine's. */
    Platform platformOf(Platform unit) {
        if (unit != null) return unit;
        return probe != null && probe.platform() != null ? probe.platform() : spec.defaultPlatform();
    }

    /** As the image definition's build_hosts attribute (and status) show it. */
    Map<String, Object> toAttribute() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("docker_host", name());
        m.put("status", problem == null ? "usable" : docker == null ? "unreachable" : "failed");
        if (probe != null) m.put("engine", "Docker " + probe.engineVersion());
        if (docker != null) m.put("platforms", platforms.describe());
        m.put("max_concurrent_builds", String.valueOf(spec.maxConcurrentBuilds()));
        m.put("units_built", String.valueOf(built));
        if (problem != null) m.put("error", problem);
        return m;
    }

    List<String> createdTags() {
        return new ArrayList<>(created);
    }
}
