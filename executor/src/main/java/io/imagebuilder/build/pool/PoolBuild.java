package io.imagebuilder.build.pool;

import io.imagebuilder.build.host.BuildHost;
import io.imagebuilder.build.host.HostProbe;
import io.imagebuilder.build.outcome.BuildException;
import io.imagebuilder.build.outcome.BuildOutcome;
import io.imagebuilder.build.outcome.PushedImage;
import io.imagebuilder.build.params.BuildParams;
import io.imagebuilder.build.params.ImageSpec;
import io.imagebuilder.build.params.Platform;
import io.imagebuilder.build.params.RegistrySpec;
import io.imagebuilder.build.steps.BuildImageStep;
import io.imagebuilder.build.steps.BuildUnit;
import io.imagebuilder.build.steps.PushImageStep;
import io.imagebuilder.build.steps.PushManifestListStep;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Builds and pushes units over a pool of build hosts. Every host is opened and probed first; each unit (an
 * image variant for one platform) then runs on a suitable free host, never more at a time on a host than it
 * allows. A unit whose host fails under it (the connection drops, or the engine stops answering its probe) is
 * retried on another host, a bounded number of times and after a pause; the failed host is not used again in
 * this run. A unit that fails on a healthy host (a failing RUN step, say) fails the run: no new units start,
 * running ones finish. Multi-platform images are joined into a manifest list once all their platforms are pushed.
 */
public final class PoolBuild {

    static final int MAX_ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 1000;

    private final LineSink log;
    private final Cancellation cancellation;
    private final HostSlots slots;
    /** Hosts whose slots were all taken by other runs when this one wanted them, said once each. */
    private final java.util.Set<String> saidBusy = new java.util.HashSet<>();
    private final Object lock = new Object();
    private final List<Job> pending = new ArrayList<>();
    private final Map<BuildUnit, Pushed> pushed = new IdentityHashMap<>();
    private int running;
    private String failure;
    /** Time spent choosing hosts for units: the scheduler's own cost, reported for multi-host runs. */
    private long choosingNanos;
    private final SlotWaits.Listener slotWaits = SlotWaits.current();
    private final String owner = RunningUnits.currentTag();
    private boolean waitingForSlot;

    public PoolBuild(LineSink log, Cancellation cancellation) {
        this(log, cancellation, HostSlots.SHARED);
    }

    PoolBuild(LineSink log, Cancellation cancellation, HostSlots slots) {
        this.log = log;
        this.cancellation = cancellation;
        this.slots = slots;
    }

    /** A group of units that are one build (they differ only in their tag), and its attempts so far. */
    private static final class Job {
        final List<BuildUnit> units;
        int attempts;
        long notBefore;

        Job(List<BuildUnit> units) {
            this.units = units;
        }

        BuildUnit first() {
            return units.get(0);
        }
    }

    private record Pushed(String digest, PoolHost host) {
    }

    public BuildOutcome run(List<BuildHost> specs, List<BuildUnit> units, RegistrySpec registry, BuildParams params)
            throws BuildException {
        List<PoolHost> hosts = new ArrayList<>();
        for (BuildHost spec : specs) {
            PoolHost host = new PoolHost(hosts.size(), spec);
            host.slots = slots;
            hosts.add(host);
        }
        try {
            ConnectHostsStep.run(hosts, registry, log, cancellation);
            checkHosts(hosts, units);
            pending.addAll(jobs(units));
            schedule(hosts, params);
            if (hosts.size() > 1) {
                log.line(String.format(java.util.Locale.ROOT, "scheduled %d units on %d hosts; choosing hosts took"
                        + " %.2f ms", units.size(), hosts.size(), choosingNanos / 1e6));
            }
            if (failure != null) throw new BuildException(failure, outcome(units, hosts, Map.of()));
            Map<String, String> lists = manifestLists(units, hosts, registry);
            return outcome(units, hosts, lists);
        } finally {
            hosts.forEach(h -> {
                if (h.connection != null) h.connection.close();
            });
        }
    }

    /** Fails before any build when no host is usable or some platform has no host to build it. */
    private void checkHosts(List<PoolHost> hosts, List<BuildUnit> units) throws BuildException {
        for (PoolHost h : hosts) {
            if (h.fatal != null) throw new BuildException(h.fatal, outcome(units, hosts, Map.of()));
        }
        if (hosts.stream().noneMatch(PoolHost::usable)) {
            String why = hosts.size() == 1 ? hosts.get(0).problem : "no build host is usable: " + hosts.stream()
                    .map(h -> h.name() + ": " + h.problem).collect(Collectors.joining("; "));
            throw new BuildException(why, outcome(units, hosts, Map.of()));
        }
        for (BuildUnit u : units) {
            Platform p = u.platform();
            if (hosts.stream().noneMatch(h -> h.usable() && h.canBuild(p))) {
                throw new BuildException("no build host can build " + p + " (for " + u.image().reference() + "): "
                        + hosts.stream().filter(PoolHost::usable).map(h -> h.name() + " builds "
                        + h.platforms.describe()).collect(Collectors.joining("; ")), outcome(units, hosts, Map.of()));
            }
        }
    }

    private static List<Job> jobs(List<BuildUnit> units) {
        Map<List<Object>, List<BuildUnit>> same = new LinkedHashMap<>();
        for (BuildUnit u : units) {
            same.computeIfAbsent(List.of(u.dockerfile(), u.context(), String.valueOf(u.platform())),
                    k -> new ArrayList<>()).add(u);
        }
        return same.values().stream().map(Job::new).collect(Collectors.toCollection(ArrayList::new));
    }

    private void schedule(List<PoolHost> hosts, BuildParams params) {
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "build-unit");
            t.setDaemon(true);
            return t;
        });
        try {
            synchronized (lock) {
                while (true) {
                    if (failure == null && cancellation != null && cancellation.isCancelled()) failure = "cancelled";
                    if (failure != null) {
                        if (running == 0) return;
                    } else {
                        if (pending.isEmpty() && running == 0) return;
                        assign(hosts, params, workers);
                        if (failure != null) continue;
                    }
                    lock.wait(waitMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } finally {
            workers.shutdown();
        }
    }

    private void assign(List<PoolHost> hosts, BuildParams params, ExecutorService workers) {
        long now = System.nanoTime();
        try {
            assignReady(hosts, params, workers, now);
        } finally {
            choosingNanos += System.nanoTime() - now;
        }
    }

    private void assignReady(List<PoolHost> hosts, BuildParams params, ExecutorService workers, long now) {
        List<Job> ready = new ArrayList<>(pending.stream().filter(j -> j.notBefore - now <= 0).toList());
        UnitScheduler.Choice c;
        while ((c = UnitScheduler.next(ready, j -> new UnitScheduler.Waiting(j.first().platform(),
                j.first().localTag()), hosts)) != null) {
            PoolHost host = c.host();
            if (!slots.take(host.name(), host.spec.maxConcurrentBuilds())) break; // another run was quicker
            Job job = ready.remove(c.unit());
            pending.remove(job);
            host.running++;
            running++;
            job.units.forEach(u -> host.created.addAll(List.of(u.localTag(), u.reference())));
            if (hosts.size() > 1) {
                log.line("[" + job.first().label() + "] building on " + host.name()
                        + (c.emulated() ? " (emulated)" : ""));
            }
            RunningUnits.Unit unit = RunningUnits.started(host.name(), job.first().label(), owner);
            workers.submit(() -> {
                try {
                    runJob(job, host, params, hosts);
                } finally {
                    RunningUnits.ended(unit);
                }
            });
        }
        if (!ready.isEmpty()) {
            for (PoolHost h : hosts) {
                if (h.busyElsewhere() && saidBusy.add(h.name())) {
                    log.line("[" + h.name() + "] all " + h.spec.maxConcurrentBuilds() + " build slots are taken by "
                            + "other builds; waiting for one");
                }
            }
        }
        // nothing runs and nothing can start: every host that could build what is left has failed
        List<Job> stranded = ready.stream().filter(j -> hosts.stream()
                .noneMatch(h -> h.usable() && h.canBuild(j.first().platform()))).toList();
        if (running == 0 && !stranded.isEmpty()) {
            failure = "no build host is left to build " + stranded.stream().map(j -> j.first().label())
                    .collect(Collectors.joining(", ")) + ": " + hosts.stream().filter(h -> h.problem != null)
                    .map(h -> h.name() + ": " + h.problem).collect(Collectors.joining("; "));
        }
        // nothing of this run builds, yet units are ready: the slots they need are held by other builds
        boolean waiting = failure == null && running == 0 && !ready.isEmpty();
        if (waiting != waitingForSlot) {
            waitingForSlot = waiting;
            slotWaits.waiting(waiting);
        }
    }

    private long waitMillis() {
        long now = System.nanoTime();
        return pending.stream().mapToLong(j -> (j.notBefore - now) / 1_000_000).filter(ms -> ms > 0).min()
                .orElse(1000);
    }

    private void runJob(Job job, PoolHost host, BuildParams params, List<PoolHost> hosts) {
        BuildException error = null;
        Map<BuildUnit, String> digests = new LinkedHashMap<>();
        try {
            BuildUnit first = job.first();
            BuildImageStep.run(host.docker, first, host.spec.network(), params.buildArgs(), params.labels(), log);
            for (BuildUnit other : job.units.subList(1, job.units.size())) {
                log.line("[" + other.label() + "] same build as " + first.label() + "; tagging it");
                host.docker.require("tagging " + other.label(), List.of("tag", first.localTag(), other.localTag()),
                        null, log);
            }
            for (BuildUnit u : job.units) digests.put(u, PushImageStep.run(host.docker, u, log));
        } catch (BuildException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new BuildException("building " + job.first().label() + " failed: " + e, e);
        }
        boolean cancelled = cancellation != null && cancellation.isCancelled();
        String down = error == null || cancelled ? null : hostDown(host);
        synchronized (lock) {
            host.running--;
            slots.give(host.name());
            running--;
            if (error == null) {
                host.built += job.units.size();
                digests.forEach((u, d) -> pushed.put(u, new Pushed(d, host)));
            } else if (down != null) {
                retry(job, host, down, error, hosts);
            } else if (failure == null) {
                failure = error.getMessage();
            }
            lock.notifyAll();
        }
    }

    /** Why the host is down, or null when it still answers (so the failure was the build's own). */
    private static String hostDown(PoolHost host) {
        if (!host.connection.isOpen()) return "the connection to it dropped";
        try {
            HostProbe.run(host.docker);
            return null;
        } catch (BuildException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return "its probe failed: " + e;
        }
    }

    private void retry(Job job, PoolHost host, String down, BuildException error, List<PoolHost> hosts) {
        if (host.problem == null) {
            host.problem = "failed while building " + job.first().label() + ": " + down;
            log.line("[" + host.name() + "] failed (" + down + "); not used again in this run");
        }
        job.attempts++;
        Platform p = job.first().platform();
        boolean another = hosts.stream().anyMatch(h -> h.usable() && h.canBuild(p));
        if (job.attempts >= MAX_ATTEMPTS || !another) {
            if (failure == null) {
                failure = error.getMessage() + " (" + host.name() + ": " + down + ")"
                        + (another ? "; gave up after " + job.attempts + " attempts" : "; no other build host is left");
            }
            return;
        }
        long backoff = BACKOFF_MILLIS * job.attempts;
        log.line("[" + job.first().label() + "] retrying on another host in " + backoff / 1000 + " s (attempt "
                + (job.attempts + 1) + " of " + MAX_ATTEMPTS + ")");
        job.notBefore = System.nanoTime() + backoff * 1_000_000;
        pending.add(job);
    }

    /** Joins the platforms of each multi-platform image, pushed by digest from whichever hosts built them. */
    private Map<String, String> manifestLists(List<BuildUnit> units, List<PoolHost> hosts, RegistrySpec registry)
            throws BuildException {
        Map<String, String> lists = new LinkedHashMap<>();
        Map<ImageSpec, List<BuildUnit>> byImage = new LinkedHashMap<>();
        units.forEach(u -> byImage.computeIfAbsent(u.image(), k -> new ArrayList<>()).add(u));
        PoolHost any = hosts.stream().filter(PoolHost::usable).findFirst().orElse(null);
        for (List<BuildUnit> mine : byImage.values()) {
            if (mine.size() == 1) {
                BuildUnit u = mine.get(0);
                log.line("pushed " + u.reference() + "@" + pushed.get(u).digest() + " ("
                        + pushed.get(u).host().platformOf(u.platform()) + ")");
                continue;
            }
            if (any == null) throw new BuildException("no build host is left to push the manifest lists",
                    outcome(units, hosts, lists));
            List<String> digests = mine.stream().map(u -> pushed.get(u).digest()).toList();
            String reference = mine.get(0).reference();
            String list = PushManifestListStep.run(any.docker, reference, digests, registry.plainHttpAllowed(), log);
            lists.put(reference, list);
            log.line("pushed " + reference + "@" + list + " (manifest list of " + mine.size() + " platforms)");
        }
        return lists;
    }

    private BuildOutcome outcome(List<BuildUnit> units, List<PoolHost> hosts, Map<String, String> lists) {
        synchronized (lock) {
            List<PushedImage> images = new ArrayList<>();
            for (BuildUnit u : units) {
                Pushed p = pushed.get(u);
                if (p == null) continue;
                images.add(new PushedImage(u.reference(), p.digest(), p.host().platformOf(u.platform()).toString(),
                        lists.get(u.reference()), p.host().name()));
            }
            Map<String, List<String>> tags = new LinkedHashMap<>();
            hosts.stream().filter(h -> !h.created.isEmpty()).forEach(h -> tags.put(h.name(), h.createdTags()));
            return new BuildOutcome(images, tags, hosts.stream().map(PoolHost::toAttribute).toList());
        }
    }
}
