package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.BackgroundProcess;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.ssh.HeldMasters;
import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.ssh.SshMux;
import io.imagebuilder.ssh.SshOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A build host's engine socket, forwarded to a local socket over one SSH master connection. The master is kept
 * between runs ({@link HeldMasters}): a run that finds one for its host uses it, which costs a local socket
 * round trip instead of an SSH handshake, and holds it for as long as the run lasts. With none kept, each run makes
 * its own master, in its private directory, and ends it.
 */
final class EngineTunnel implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final String DEFAULT_REMOTE_SOCKET = "/var/run/docker.sock";
    private static final String ENGINE_PREFIX = "engine=";
    private static final String EMULATION_PREFIX = " binfmt=";
    /** What the host reported when its master was made, for the runs that use the master later. */
    private static final String REPORT_FILE = "engine";
    /**
     * A fixed command for the remote shell; nothing the user gives is part of it. It reports where the engine
     * listens and which binfmt_misc handlers the host's kernel has (how it emulates foreign platforms).
     */
    private static final String REPORT_ENGINE = "echo \"engine=${DOCKER_HOST:-} binfmt=$(ls /proc/sys/fs/binfmt_misc"
            + " 2>/dev/null | tr '\\n' ' ')\"; exec cat >/dev/null";

    private final Path socket;
    private final List<String> binfmt;
    /** This run's hold on the master: its requests go through it, and the master stays while it is open. */
    private final SshMux mux;
    /** The master's first session, when this run made the master; it lives as long as {@link #hold} is open. */
    private final BackgroundProcess session;
    private final OutputStream hold;

    private EngineTunnel(Path socket, List<String> binfmt, SshMux mux, BackgroundProcess session, OutputStream hold) {
        this.socket = socket;
        this.binfmt = List.copyOf(binfmt);
        this.mux = mux;
        this.session = session;
        this.hold = hold;
    }

    /**
     * Forwards the engine of {@code target}, over a kept master when there is one.
     *
     * @param privateDirectory this run's own directory, where its master lives when none is kept
     */
    static EngineTunnel open(SshEndpoint target, Path privateDirectory, LineSink log, Cancellation cancellation)
            throws BuildException {
        HeldMasters held;
        try {
            held = HeldMasters.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new BuildException(e.getMessage());
        }
        return open(target, privateDirectory, held, log, cancellation);
    }

    /** As {@link #open(SshEndpoint, Path, LineSink, Cancellation)}, with masters kept as {@code held} says. */
    static EngineTunnel open(SshEndpoint target, Path privateDirectory, HeldMasters held, LineSink log,
                             Cancellation cancellation) throws BuildException {
        if (held == null) return make(target, privateDirectory, 0, log, cancellation);
        Path home;
        try {
            home = held.directory(target);
        } catch (IOException e) {
            log.line("not keeping the connection for later runs: " + e.getMessage());
            return make(target, privateDirectory, 0, log, cancellation);
        }
        try (AutoCloseable locked = HeldMasters.lock(home)) {
            EngineTunnel kept = reuse(home);
            if (kept != null) {
                log.line("connected to " + target + " (a connection kept from an earlier run)");
                return kept;
            }
            return make(target, home, held.seconds(), log, cancellation);
        } catch (BuildException e) {
            throw e;
        } catch (Exception e) {
            throw new BuildException("cannot connect to " + target + ": " + e.getMessage(), e);
        }
    }

    /** The tunnel over the master kept in {@code home}, or null when none answers there. */
    private static EngineTunnel reuse(Path home) {
        SshMux mux;
        try {
            mux = SshMux.connect(home.resolve("ctl"));
        } catch (IOException e) {
            return null;
        }
        try {
            String report = Files.readString(home.resolve(REPORT_FILE)).trim();
            Path local = home.resolve("engine.sock");
            mux.forward(local, remoteSocket(report));
            return new EngineTunnel(local, handlers(report), mux, null, null);
        } catch (IOException e) {
            mux.close();
            return null;
        }
    }

    /** Makes a master in {@code home}, kept for {@code persistSeconds} once unused (0: ended with this run). */
    private static EngineTunnel make(SshEndpoint target, Path home, int persistSeconds, LineSink log,
                                     Cancellation cancellation) throws BuildException {
        Path control = home.resolve("ctl");
        Path reportFile = home.resolve(REPORT_FILE);
        PipedOutputStream hold = new PipedOutputStream();
        BackgroundProcess session;
        try {
            Files.deleteIfExists(control); // a master that no longer answers left it
            Files.deleteIfExists(reportFile);
            log.line("connecting to " + target);
            session = start(target, control, persistSeconds, new PipedInputStream(hold));
        } catch (IOException e) {
            throw new BuildException("cannot connect to " + target + ": " + e.getMessage(), e);
        }
        SshMux mux = null;
        try {
            String report = awaitMaster(session, control, target, cancellation);
            mux = SshMux.connect(control);
            Path local = home.resolve("engine.sock");
            mux.forward(local, remoteSocket(report));
            if (persistSeconds > 0) Files.writeString(reportFile, report + "\n");
            return new EngineTunnel(local, handlers(report), mux, session, hold);
        } catch (IOException e) {
            end(mux, hold, session);
            throw new BuildException("cannot connect to " + target + ": " + e.getMessage(), e);
        } catch (BuildException | RuntimeException e) {
            end(mux, hold, session);
            throw e;
        }
    }

    /**
     * Starts the master. Its first session reports where the engine listens (the account's DOCKER_HOST, if set)
     * and then waits on its input, which stays open while this run holds the connection. A kept master goes to
     * the background once it has authenticated (ssh's ControlPersist), and this process stays as its session.
     */
    private static BackgroundProcess start(SshEndpoint target, Path control, int persistSeconds,
                                           PipedInputStream hold) throws IOException {
        List<String> args = new ArrayList<>(SshOptions.of(target.identity()));
        args.addAll(List.of("-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
                "-o", "ControlPersist=" + (persistSeconds > 0 ? persistSeconds + "s" : "no"),
                "-o", "StreamLocalBindUnlink=yes", "-p", String.valueOf(target.port()), "-S", control.toString(),
                "-M", "-T", target.destination(), REPORT_ENGINE));
        return BackgroundProcess.start(ProcessRunner.command("ssh", args), System.getenv(), hold);
    }

    /** Waits for the master to authenticate and report the engine; returns its report line. */
    private static String awaitMaster(BackgroundProcess session, Path control, SshEndpoint target,
                                      Cancellation cancellation) throws BuildException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (cancellation != null && cancellation.isCancelled()) throw new BuildException("cancelled");
                String engine = session.awaitLine(ENGINE_PREFIX, Duration.ofMillis(100));
                if (engine != null && Files.exists(control)) return ENGINE_PREFIX + engine;
                if (engine == null && !session.isRunning()) {
                    List<String> lines = session.finalLines(Duration.ofSeconds(1));
                    throw new BuildException("cannot connect to " + target + ": "
                            + (lines.isEmpty() ? "ssh exited" : String.join(" ", lines)));
                }
                if (engine != null) Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while connecting to " + target);
        }
        throw new BuildException("cannot connect to " + target + ": no answer within " + CONNECT_TIMEOUT.toSeconds()
                + " s");
    }

    private static String remoteSocket(String report) {
        int split = report.indexOf(EMULATION_PREFIX);
        String engine = (split < 0 ? report : report.substring(0, split)).trim();
        String dockerHost = engine.startsWith(ENGINE_PREFIX) ? engine.substring(ENGINE_PREFIX.length()) : engine;
        if (dockerHost.startsWith("unix://")) return dockerHost.substring("unix://".length());
        if (dockerHost.startsWith("tcp://")) return dockerHost.substring("tcp://".length());
        return DEFAULT_REMOTE_SOCKET;
    }

    private static List<String> handlers(String report) {
        int split = report.indexOf(EMULATION_PREFIX);
        String names = split < 0 ? "" : report.substring(split + EMULATION_PREFIX.length()).trim();
        return names.isEmpty() ? List.of() : List.of(names.split("\\s+"));
    }

    /** The local socket the engine answers on. */
    Path socket() {
        return socket;
    }

    /** binfmt_misc handler names on the engine's host, such as qemu-aarch64. */
    List<String> binfmtHandlers() {
        return binfmt;
    }

    /** False once the connection has dropped. */
    boolean isOpen() {
        return session != null ? session.isRunning() : mux.isOpen();
    }

    /** Lets go of the connection: a kept master stays for later runs, a run's own ends. */
    @Override
    public void close() {
        end(mux, hold, session);
    }

    /** The hold on the master goes first: a master of this run's own waits for every client to leave. */
    private static void end(SshMux mux, OutputStream hold, BackgroundProcess session) {
        if (mux != null) mux.close();
        if (hold != null) {
            try {
                hold.close();
            } catch (IOException e) {
                // the session is stopped below in any case
            }
        }
        if (session != null) session.close();
    }
}
