package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Builds one unit on the engine, streaming its output; a build that prints nothing for a while says it is alive. */
public final class BuildImageStep {

    private static final Duration QUIET = Duration.ofSeconds(30);
    private static final java.util.Set<String> BUILDKIT_NETWORKS = java.util.Set.of("none", "host");

    private BuildImageStep() {
    }

    public static void run(DockerClient docker, BuildUnit unit, String network, BuildOptions options, LineSink log)
            throws BuildException {
        List<String> args = new ArrayList<>(List.of("build", "--file", unit.dockerfile().toString(), "--tag",
                unit.localTag()));
        if (unit.platform() != null) args.addAll(List.of("--platform", unit.platform().toString()));
        if (network != null && !network.isEmpty() && !network.equals("default")) {
            // BuildKit knows only these; the engine would refuse others, and under load its refusal can leave the
            // client waiting on a build session that never ends
            if (docker.capabilities().buildkit() && !BUILDKIT_NETWORKS.contains(network)) {
                throw new BuildException("building " + unit.label() + ": network \"" + network + "\" cannot be used"
                        + " with BuildKit; expected default, none or host");
            }
            args.addAll(List.of("--network", network));
        }
        options.buildArgs().forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
        options.labels().forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        if ((!options.secrets().isEmpty() || !unit.cache().isEmpty()) && !docker.capabilities().buildkit()) {
            throw new BuildException("building " + unit.label() + ": build secrets, proxy_ca and cache need "
                    + "BuildKit, which the docker client " + docker.capabilities().client() + " cannot use (version "
                    + docker.capabilities().major() + " without the buildx plugin); give the build host a docker "
                    + "client older than 23.0, or one with buildx");
        }
        unit.cache().from().forEach(ref -> args.addAll(List.of("--cache-from", ref)));
        // the engine's BuildKit exports no registry cache of its own: the image carries it, pushed under cache.to
        if (unit.cache().to() != null) args.addAll(List.of("--build-arg", "BUILDKIT_INLINE_CACHE=1"));
        // the client reads each file here and hands it to the engine's BuildKit for RUN steps alone
        options.secrets().forEach((id, file) -> args.addAll(List.of("--secret", "id=" + id + ",src=" + file)));
        if (docker.capabilities().buildkit()) args.add("--progress=plain");
        args.add(unit.context().toString());

        String prefix = "[" + unit.label() + "] ";
        AtomicLong lastLine = new AtomicLong(System.nanoTime());
        Instant started = Instant.now();
        StringBuilder lastError = new StringBuilder();
        LineSink sink = line -> {
            lastLine.set(System.nanoTime());
            log.line(prefix + line);
            if (line.contains("ERROR") || line.contains("error") || line.startsWith("The command")) {
                lastError.setLength(0);
                lastError.append(line.trim());
            }
        };
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "build-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastLine.get() >= QUIET.toNanos()) {
                log.line(prefix + "still building (" + Duration.between(started, Instant.now()).toSeconds() + " s)");
                lastLine.set(System.nanoTime());
            }
        }, 5, 5, TimeUnit.SECONDS);
        ProcessResult r;
        try {
            r = docker.run(args, null, sink, sink, null);
        } finally {
            heartbeat.shutdownNow();
        }
        if (r.cancelled()) throw new BuildException("building " + unit.label() + ": cancelled");
        if (!r.succeeded()) {
            throw new BuildException("building " + unit.label() + " failed"
                    + (lastError.length() == 0 ? " with exit status " + r.exitCode() : ": " + lastError));
        }
    }
}
