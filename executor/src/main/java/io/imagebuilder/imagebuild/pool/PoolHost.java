package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.host.HostPlatforms;
import io.imagebuilder.imagebuild.host.HostProbe;
import io.imagebuilder.imagebuild.params.Platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One build host during one run: how it is reached, what its probe found, how many builds it runs now, and
 * whether it is still used. Connecting threads, the scheduler and the threads building units all ask it, so its
 * state changes only through these methods, under its own lock.
 */
final class PoolHost {

    private final int index;
    private final BuildHost spec;
    /** Builds on the host across the process, this run's included. */
    private final HostSlots slots;
    private EngineSession session;
    private boolean connected;
    private HostProbe probe;
    private HostPlatforms platforms = new HostPlatforms(Set.of(), Set.of());
    /** Why the host is not (or no longer) used in this run; null while it is usable. */
    private String problem;
    /** An error that ends the run whichever host is used, such as a refused registry login. */
    private String refusal;
    /** Builds of this run on the host. */
    private int running;
    private int built;
    /** Image tags on the host and when their images were made: where a rebuild finds its layer cache. */
    private Map<String, Instant> tags = Map.of();
    /** Tags this run created on the host, for clean-up. */
    private final Set<String> created = new LinkedHashSet<>();

    PoolHost(int index, BuildHost spec, HostSlots slots) {
        this.index = index;
        this.spec = spec;
        this.slots = slots;
    }

    int index() {
        return index;
    }

    String name() {
        return spec.dockerHost();
    }

    BuildHost spec() {
        return spec;
    }

    int maxBuilds() {
        return spec.maxConcurrentBuilds();
    }

    /** The session is kept from the moment it opens, so that it is closed at the end whatever happens next. */
    synchronized void opened(EngineSession session) {
        this.session = session;
    }

    /** The engine answered its probe: the host takes builds from now on. */
    synchronized void connected(HostProbe probe, HostPlatforms platforms, Map<String, Instant> tags) {
        this.probe = probe;
        this.platforms = platforms;
        this.tags = Map.copyOf(tags);
        this.connected = true;
    }

    /** The engine answered, but the registry refused this run: no host can push for it. */
    synchronized void refused(HostProbe probe, String why) {
        this.probe = probe;
        this.refusal = why;
    }

    /** The host could not be reached or did not answer: it is left out of the run. */
    synchronized void unreachable(String why) {
        problem = why;
        connected = false;
        if (session != null) session.close();
    }

    /** The host failed under a build; true the first time, so that it is said once. */
    synchronized boolean lost(String why) {
        if (problem != null) return false;
        problem = why;
        return true;
    }

    synchronized String problem() {
        return problem;
    }

    synchronized String refusal() {
        return refusal;
    }

    synchronized DockerClient docker() {
        return session == null ? null : session.docker();
    }

    synchronized boolean isOpen() {
        return session != null && session.isOpen();
    }

    synchronized void close() {
        if (session != null) session.close();
    }

    synchronized boolean usable() {
        return problem == null && connected;
    }

    /** Builds on the host now, this run's and those of other runs in the process. */
    synchronized int load() {
        return Math.max(running, slots.running(name()));
    }

    synchronized boolean free() {
        return usable() && load() < maxBuilds();
    }

    /** Whether only builds of other runs keep this usable host from taking more. */
    synchronized boolean busyElsewhere() {
        return usable() && running < maxBuilds() && !free();
    }

    /** Takes a build slot for a unit of this run; false when other runs took the last one first. */
    synchronized boolean take(Collection<String> tags) {
        if (!slots.take(name(), maxBuilds())) return false;
        running++;
        created.addAll(tags);
        return true;
    }

    /** A unit of this run ended here, {@code built} images pushed by it. */
    synchronized void release(int built) {
        running--;
        slots.give(name());
        this.built += built;
    }

    /** A unit without a platform is built for whatever the engine's own platform is, which every host has. */
    synchronized boolean isNative(Platform p) {
        return p == null || platforms.isNative(p);
    }

    synchronized boolean canBuild(Platform p) {
        return p == null || platforms.canBuild(p);
    }

    synchronized String describePlatforms() {
        return platforms.describe();
    }

    /** When the image tagged {@code tag} on this host was made; null when it has none (or is not used). */
    synchronized Instant copyOf(String tag) {
        return usable() ? tags.get(tag) : null;
    }

    /** The platform a unit built here has: its own, else the engine's. */
    synchronized Platform platformOf(Platform unit) {
        if (unit != null) return unit;
        return probe != null && probe.platform() != null ? probe.platform() : spec.defaultPlatform();
    }

    /** As the image definition's build_hosts attribute (and status) show it. */
    synchronized Map<String, Object> toAttribute() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("docker_host", name());
        m.put("status", problem == null ? "usable" : connected ? "failed" : "unreachable");
        if (probe != null) m.put("engine", "Docker " + probe.engineVersion());
        if (connected) m.put("platforms", platforms.describe());
        m.put("max_concurrent_builds", String.valueOf(maxBuilds()));
        m.put("units_built", String.valueOf(built));
        if (problem != null) m.put("error", problem);
        return m;
    }

    synchronized List<String> createdTags() {
        return new ArrayList<>(created);
    }
}
