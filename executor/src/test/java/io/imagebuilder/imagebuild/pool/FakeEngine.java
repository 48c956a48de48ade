package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.ClientCapabilities;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker engine kept in memory: it answers the docker commands the pool runs (version, images, login, build,
 * tag, push, manifest) as a real one does, counts the builds it runs at once, and can be made to fail the ways
 * real ones do: a build that fails, an engine that dies during a build, a registry that refuses a push.
 */
final class FakeEngine implements DockerClient {

    private static final ProcessResult OK = new ProcessResult(0, false, false);
    private static final ProcessResult FAILED = new ProcessResult(1, false, false);

    final BuildHost host;
    private final Platform platform;
    /** False once the connections to the host drop. */
    private volatile boolean linked = true;
    private volatile boolean answering = true;
    private volatile boolean reachable = true;
    /** Local tags whose build fails on a healthy engine. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Local tags during whose build the engine dies. */
    private final Set<String> dying = ConcurrentHashMap.newKeySet();
    /** Local tags during whose build the engine stops answering, without refusing either. */
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();
    private volatile boolean silent;
    /** Local tags during whose build the connection to the host drops. */
    private final Set<String> dropping = ConcurrentHashMap.newKeySet();
    private volatile boolean refusingPushes;
    private volatile long buildMillis;

    private final AtomicInteger building = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final List<String> built = Collections.synchronizedList(new ArrayList<>());
    private final List<List<String>> manifestLists = Collections.synchronizedList(new ArrayList<>());
    FakeEngine(String name, Platform platform, int maxBuilds) {
        this.host = new BuildHost(name, null, "docker", List.of(platform), maxBuilds, "none");
        this.platform = platform;
    }

    /** Connects each host to the engine of its name; an unreachable one refuses the connection. */
    static Engines engines(FakeEngine... engines) {
        Map<String, FakeEngine> byName = new ConcurrentHashMap<>();
        for (FakeEngine e : engines) byName.put(e.host.dockerHost(), e);
        return (host, log, cancellation) -> {
            FakeEngine e = byName.get(host.dockerHost());
            if (e == null || !e.reachable) {
                throw new BuildException("cannot connect to " + host.dockerHost() + ": Connection refused");
            }
            return e.new Connection();
        };
    }

    FakeEngine failsBuilding(String localTag) {
        failing.add(localTag);
        return this;
    }

    FakeEngine diesBuilding(String localTag) {
        dying.add(localTag);
        return this;
    }

    FakeEngine hangsBuilding(String localTag) {
        hanging.add(localTag);
        return this;
    }

    FakeEngine dropsConnectionBuilding(String localTag) {
        dropping.add(localTag);
        return this;
    }

    FakeEngine refusesPushes() {
        refusingPushes = true;
        return this;
    }

    FakeEngine unreachable() {
        reachable = false;
        return this;
    }

    FakeEngine buildsFor(Duration d) {
        buildMillis = d.toMillis();
        return this;
    }

    /** The local tags built here, in the order their builds ended successfully. */
    List<String> built() {
        synchronized (built) {
            return List.copyOf(built);
        }
    }

    int mostBuildsAtOnce() {
        return mostAtOnce.get();
    }

    /** The images (repository@digest) of each manifest list made through this engine. */
    List<List<String>> manifestLists() {
        synchronized (manifestLists) {
            return List.copyOf(manifestLists);
        }
    }

    /** One run's connection to the engine. */
    private final class Connection implements EngineSession {

        private volatile boolean open = true;

        @Override
        public DockerClient docker() {
            return FakeEngine.this;
        }

        @Override
        public List<String> binfmtHandlers() {
            return List.of();
        }

        @Override
        public boolean isOpen() {
            return open && linked;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Override
    public ClientCapabilities capabilities() {
        return new ClientCapabilities("docker", 24, true);
    }

    @Override
    public void useCredentials(String registryHost, String username, String password) {
    }

    @Override
    public ProcessResult run(List<String> args, byte[] stdin, LineSink out, LineSink err, Duration timeout) {
        if (silent) return new ProcessResult(-1, true, false);
        if (!answering) {
            err.line("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon"
                    + " running?");
            return FAILED;
        }
        String command = args.get(0);
        switch (command) {
            case "version":
                out.line("24.0.7 " + platform);
                return OK;
            case "images":
            case "tag":
                return OK;
            case "build":
                return build(args.get(args.indexOf("--tag") + 1), out, err);
            case "push":
                return push(args.get(1), out, err);
            case "manifest":
                return manifest(args, out);
            default:
                err.line("unknown command " + command);
                return FAILED;
        }
    }

    private ProcessResult build(String tag, LineSink out, LineSink err) {
        int now = building.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            out.line("#1 [internal] load build definition from Dockerfile");
            if (buildMillis > 0) Thread.sleep(buildMillis);
            if (hanging.contains(tag)) {
                silent = true;
                err.line("ERROR: failed to solve: context deadline exceeded");
                return FAILED;
            }
            if (dropping.contains(tag)) {
                linked = false;
                answering = false;
                err.line("error during connect: Post \"http://docker.example.com/v1.43/build\": EOF");
                return FAILED;
            }
            if (dying.contains(tag)) {
                answering = false;
                err.line("ERROR: failed to solve: error reading from server: EOF");
                return FAILED;
            }
            if (failing.contains(tag)) {
                err.line("ERROR: process \"/bin/sh -c false\" did not complete successfully: exit code: 1");
                return FAILED;
            }
            built.add(tag);
            return OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(-1, false, true);
        } finally {
            building.decrementAndGet();
        }
    }

    private ProcessResult push(String reference, LineSink out, LineSink err) {
        if (refusingPushes) {
            err.line("denied: requested access to the resource is denied");
            return FAILED;
        }
        String digest = pushed(host.dockerHost(), reference);
        out.line("latest: digest: " + digest + " size: 1234");
        return OK;
    }

    private ProcessResult manifest(List<String> args, LineSink out) {
        if (args.get(1).equals("create")) {
            manifestLists.add(args.stream().filter(a -> a.contains("@")).toList());
            out.line("Created manifest list " + args.get(args.indexOf("--amend") + 1));
            return OK;
        }
        out.line(digest(String.join(" ", args)));
        return OK;
    }

    /** The digest an image pushed from this host under this reference gets. */
    static String pushed(String host, String reference) {
        return digest(host + " " + reference);
    }

    static String digest(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
