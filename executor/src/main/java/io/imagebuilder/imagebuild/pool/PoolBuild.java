package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Target;
import io.imagebuilder.imagebuild.steps.BuildOptions;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.PublishS3Step;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds and pushes units over a pool of build hosts. Every host is opened and probed first; each unit (an
 * image variant for one platform) then runs on a suitable free host, never more at a time on a host than it
 * allows. A unit whose host fails under it (the connection drops, or the engine stops answering its probe) is
 * retried on another host, a bounded number of times and after a pause; the failed host is not used again in
 * this run. A unit that fails on a healthy host (a failing RUN step, say) fails the run: no new units start,
 * running ones finish. Multi-platform images are joined into a manifest list once all their platforms are pushed.
 * The run composes the steps: {@link ConnectHostsStep}, then {@link BuildUnitStep} for each unit as hosts free
 * up, then {@link PushManifestListsStep}; whether a failed unit is retried depends only on the kind of its
 * {@link UnitFailure}.
 */
public final class PoolBuild {

    static final int MAX_ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 1000;

    private final LineSink log;
    private final Cancellation cancellation;
    private final HostSlots slots;
    private final Engines engines;
    /** Hosts whose slots were all taken by other runs when this one wanted them, said once each. */
    private final java.util.Set<String> saidBusy = new java.util.HashSet<>();
    private final Object lock = new Object();
    private final List<Job> pending = new ArrayList<>();
    private final Map<BuildUnit, PushedUnit> pushed = new IdentityHashMap<>();
    private int running;
    private String failure;
    /** The run's build options, which also say where the images go. */
    private BuildOptions options = BuildOptions.none();
    /** Where this run pushes to (null when it pushes nowhere). */
    private RegistrySpec registry;
    /** Time spent choosing hosts for units: the scheduler's own cost, reported for multi-host runs. */
    private long choosingNanos;
    private final SlotWaits.Listener slotWaits = SlotWaits.current();
    private final String owner = RunningUnits.currentTag();
    private boolean waitingForSlot;

    /** @param shared the slots and client capabilities this run shares with the other builds of the process */
    public PoolBuild(LineSink log, Cancellation cancellation, SharedHosts shared) {
        this(log, cancellation, shared.slots(), new SshEngines(shared.clients(), shared.ahead()));
    }

    PoolBuild(LineSink log, Cancellation cancellation, HostSlots slots, Engines engines) {
        this.log = log;
        this.cancellation = cancellation;
        this.slots = slots;
        this.engines = engines;
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

    public BuildOutcome run(List<BuildHost> specs, List<BuildUnit> units, RegistrySpec registry, BuildOptions options)
            throws BuildException {
        List<PoolHost> hosts = new ArrayList<>();
        for (BuildHost spec : specs) {
            hosts.add(new PoolHost(hosts.size(), spec, slots));
        }
        this.options = options;
        this.registry = registry;
        try {
            ConnectHostsStep.run(hosts, engines, registry, log, cancellation);
            checkHosts(hosts, units);
            pending.addAll(jobs(units));
            schedule(hosts);
            if (hosts.size() > 1) {
                log.line(String.format(java.util.Locale.ROOT, "scheduled %d units on %d hosts; choosing hosts took"
                        + " %.2f ms", units.size(), hosts.size(), choosingNanos / 1e6));
            }
            if (failure != null) throw new BuildException(failure, outcome(units, hosts, Map.of()));
            if (options.publish() != Target.Publish.REGISTRY) return outcome(units, hosts, Map.of());
            PoolHost any = hosts.stream().filter(PoolHost::usable).findFirst().orElse(null);
            try {
                Map<String, String> lists = PushManifestListsStep.run(units, pushed, any == null ? null
                        : any.docker(), registry.plainHttpAllowed(), log);
                return outcome(units, hosts, lists);
            } catch (BuildException e) {
                // without a host nothing was joined, and the state keeps what was pushed
                if (any == null) throw new BuildException(e.getMessage(), outcome(units, hosts, Map.of()));
                throw e;
            }
        } finally {
            hosts.forEach(PoolHost::close);
        }
    }

    /** Fails before any build when no host is usable or some platform has no host to build it. */
    private void checkHosts(List<PoolHost> hosts, List<BuildUnit> units) throws BuildException {
        for (PoolHost h : hosts) {
            if (h.refusal() != null) throw new BuildException(h.refusal(), outcome(units, hosts, Map.of()));
        }
        if (hosts.stream().noneMatch(PoolHost::usable)) {
            String why = hosts.size() == 1 ? hosts.get(0).problem() : "no build host is usable: " + hosts.stream()
                    .map(h -> h.name() + ": " + h.problem()).collect(Collectors.joining("; "));
            throw new BuildException(why, outcome(units, hosts, Map.of()));
        }
        for (BuildUnit u : units) {
            Platform p = u.platform();
            if (hosts.stream().noneMatch(h -> h.usable() && h.canBuild(p))) {
                throw new BuildException("no build host can build " + p + " (for " + u.image().reference() + "): "
                        + hosts.stream().filter(PoolHost::usable).map(h -> h.name() + " builds "
                        + h.describePlatforms()).collect(Collectors.joining("; ")), outcome(units, hosts, Map.of()));
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

    private void schedule(List<PoolHost> hosts) {
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
                        assign(hosts, workers);
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

    private void assign(List<PoolHost> hosts, ExecutorService workers) {
        long now = System.nanoTime();
        try {
            assignReady(hosts, workers, now);
        } finally {
            choosingNanos += System.nanoTime() - now;
        }
    }

    private void assignReady(List<PoolHost> hosts, ExecutorService workers, long now) {
        List<Job> ready = new ArrayList<>(pending.stream().filter(j -> j.notBefore - now <= 0).toList());
        UnitScheduler.Choice c;
        while ((c = UnitScheduler.next(ready, j -> new UnitScheduler.Waiting(j.first().platform(),
                j.first().localTag()), hosts)) != null) {
            PoolHost host = c.host();
            Job job = ready.get(c.unit());
            List<String> tags = job.units.stream().flatMap(u -> Stream.of(u.localTag(), u.reference())).toList();
            if (!host.take(tags)) break; // another run was quicker
            ready.remove(c.unit());
            pending.remove(job);
            running++;
            if (hosts.size() > 1) {
                log.line("[" + job.first().label() + "] building on " + host.name()
                        + (c.emulated() ? " (emulated)" : ""));
            }
            RunningUnits.Unit unit = slots.units().started(host.name(), job.first().label(), owner);
            workers.submit(() -> {
                try {
                    runJob(job, host, hosts);
                } finally {
                    slots.units().ended(unit);
                }
            });
        }
        if (!ready.isEmpty()) {
            for (PoolHost h : hosts) {
                if (h.busyElsewhere() && saidBusy.add(h.name())) {
                    log.line("[" + h.name() + "] all " + h.maxBuilds() + " build slots are taken by "
                            + "other builds; waiting for one");
                }
            }
        }
        // nothing runs and nothing can start: every host that could build what is left has failed
        List<Job> stranded = ready.stream().filter(j -> hosts.stream()
                .noneMatch(h -> h.usable() && h.canBuild(j.first().platform()))).toList();
        if (running == 0 && !stranded.isEmpty()) {
            failure = "no build host is left to build " + stranded.stream().map(j -> j.first().label())
                    .collect(Collectors.joining(", ")) + ": " + hosts.stream().filter(h -> h.problem() != null)
                    .map(h -> h.name() + ": " + h.problem()).collect(Collectors.joining("; "));
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

    private void runJob(Job job, PoolHost host, List<PoolHost> hosts) {
        Map<BuildUnit, String> digests = Map.of();
        UnitFailure failed = null;
        try {
            digests = BuildUnitStep.run(job.units, host, options, registry, log, cancellation);
        } catch (UnitFailedException e) {
            failed = e.failure();
        }
        synchronized (lock) {
            host.release(digests.size());
            running--;
            if (failed == null) {
                digests.forEach((u, d) -> pushed.put(u, new PushedUnit(d, host)));
            } else if (failed.losesHost()) {
                retry(job, host, failed, hosts);
            } else if (failure == null) {
                failure = failed.message();
            }
            lock.notifyAll();
        }
    }

    private void retry(Job job, PoolHost host, UnitFailure failed, List<PoolHost> hosts) {
        String down = failed.hostProblem();
        if (host.lost("failed while building " + job.first().label() + ": " + down)) {
            log.line("[" + host.name() + "] failed (" + down + "); not used again in this run");
        }
        job.attempts++;
        Platform p = job.first().platform();
        boolean another = hosts.stream().anyMatch(h -> h.usable() && h.canBuild(p));
        if (job.attempts >= MAX_ATTEMPTS || !another) {
            if (failure == null) {
                failure = failed.message() + " (" + host.name() + ": " + down + ")"
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

    /** Where a unit went: its reference in the registry, its tag on the build host, or its object in S3. */
    private String where(BuildUnit u) {
        return switch (options.publish()) {
            case LOCAL -> u.localTag();
            case S3 -> PublishS3Step.url(options.s3(), u);
            case REGISTRY -> u.reference();
        };
    }

    private BuildOutcome outcome(List<BuildUnit> units, List<PoolHost> hosts, Map<String, String> lists) {
        synchronized (lock) {
            List<PushedImage> images = new ArrayList<>();
            for (BuildUnit u : units) {
                PushedUnit p = pushed.get(u);
                if (p == null) continue;
                // a kept image is known by the tag it has on its engine, one per platform
                images.add(new PushedImage(where(u), p.digest(),
                        p.host().platformOf(u.platform()).toString(),
                        lists.get(u.reference()), p.host().name()));
            }
            Map<String, List<String>> tags = new LinkedHashMap<>();
            hosts.forEach(h -> {
                List<String> created = h.createdTags();
                if (!created.isEmpty()) tags.put(h.name(), created);
            });
            return new BuildOutcome(images, tags, hosts.stream().map(PoolHost::toAttribute).toList());
        }
    }
}
