package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.BackgroundProcess;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.ssh.SshOptions;
import io.imagebuilder.util.Trees;
import org.apache.commons.exec.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A build host's engine, reachable by the docker client for the length of a build. For an ssh:// host one SSH
 * connection is opened, with the host key verified, and the remote engine's socket is forwarded to a private
 * local socket: every docker command then costs a local socket round trip instead of a new SSH session.
 * The docker client also gets a private, temporary configuration directory, and registry credentials through a
 * credential helper served by this process.
 */
public final class EngineConnection implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final String DEFAULT_REMOTE_SOCKET = "/var/run/docker.sock";
    private static final String ENGINE_PREFIX = "engine=";
    private static final String EMULATION_PREFIX = " binfmt=";
    /**
     * A fixed command for the remote shell; nothing the user gives is part of it. It reports where the engine
     * listens and which binfmt_misc handlers the host's kernel has (how it emulates foreign platforms).
     */
    private static final String REPORT_ENGINE = "echo \"engine=${DOCKER_HOST:-} binfmt=$(ls /proc/sys/fs/binfmt_misc"
            + " 2>/dev/null | tr '\\n' ' ')\"; exec cat >/dev/null";

    private final Path dir;
    private final String dockerHost;
    private final BackgroundProcess master;
    private final List<String> sshBase;
    private final SshEndpoint target;
    /** Open while the connection is wanted; closing it ends the master's remote command and so the connection. */
    private final java.io.OutputStream hold;
    /** binfmt_misc handler names on the engine's host, such as qemu-aarch64. */
    private final List<String> binfmt;
    private CredentialHelper credentials;

    private EngineConnection(Path dir, String dockerHost, BackgroundProcess master, List<String> sshBase,
                             SshEndpoint target, java.io.OutputStream hold, List<String> binfmt) {
        this.dir = dir;
        this.dockerHost = dockerHost;
        this.master = master;
        this.sshBase = sshBase;
        this.target = target;
        this.hold = hold;
        this.binfmt = List.copyOf(binfmt);
    }

    public static EngineConnection open(BuildHost host, LineSink log, Cancellation cancellation)
            throws BuildException {
        Path dir = privateDirectory();
        try {
            Files.createDirectory(dir.resolve("config"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            if (!host.isSsh()) {
                return new EngineConnection(dir, host.dockerHost(), null, List.of(), null, null, localBinfmt());
            }
            SshEndpoint target = host.endpoint();
            String files = target.identity().problem();
            if (files != null) throw new BuildException("cannot connect to " + target + ": " + files);
            List<String> base = sshOptions(target, dir.resolve("ctl"));
            log.line("connecting to " + target);
            java.io.PipedOutputStream hold = new java.io.PipedOutputStream();
            BackgroundProcess master = startMaster(base, target, new java.io.PipedInputStream(hold));
            EngineConnection c = new EngineConnection(dir, null, master, base, target, hold, List.of());
            try {
                String report = c.awaitMaster(cancellation);
                int split = report.indexOf(EMULATION_PREFIX);
                String remote = remoteSocket((split < 0 ? report : report.substring(0, split)).trim());
                List<String> handlers = split < 0 ? List.of()
                        : List.of(report.substring(split + EMULATION_PREFIX.length()).trim().split("\\s+"));
                String local = dir.resolve("engine.sock").toString();
                c.ssh(cancellation, "-O", "forward", "-L", local + ":" + remote, target.destination());
                return new EngineConnection(dir, "unix://" + local, master, base, target, hold, handlers);
            } catch (BuildException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (IOException e) {
            Trees.delete(dir);
            throw new BuildException("cannot connect to " + host.dockerHost() + ": " + e.getMessage(), e);
        } catch (BuildException e) {
            Trees.delete(dir);
            throw e;
        }
    }

    private static Path privateDirectory() throws BuildException {
        try {
            return PrivateDirectory.create();
        } catch (IOException e) {
            throw new BuildException("cannot create a private directory: " + e.getMessage(), e);
        }
    }

    private static List<String> sshOptions(SshEndpoint target, Path control) {
        List<String> args = new ArrayList<>(SshOptions.of(target.identity()));
        args.addAll(List.of("-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
                "-p", String.valueOf(target.port()), "-S", control.toString()));
        return args;
    }

    /**
     * The master connection's own session reports where the engine listens (the account's DOCKER_HOST, if set)
     * and then waits on its input, which stays open until the connection is closed: one round trip fewer than
     * asking in a session of its own.
     */
    private static BackgroundProcess startMaster(List<String> base, SshEndpoint target, java.io.InputStream hold)
            throws IOException {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("-M", "-T", "-o", "ControlPersist=no", target.destination(), REPORT_ENGINE));
        return BackgroundProcess.start(ProcessRunner.command("ssh", args), System.getenv(), hold);
    }

    private static List<String> localBinfmt() {
        try (var names = Files.list(Path.of("/proc/sys/fs/binfmt_misc"))) {
            return names.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits for the master to authenticate and report the engine; returns its report line. */
    private String awaitMaster(Cancellation cancellation) throws BuildException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (cancellation != null && cancellation.isCancelled()) throw new BuildException("cancelled");
                String engine = master.awaitLine(ENGINE_PREFIX, java.time.Duration.ofMillis(100));
                if (engine != null && Files.exists(dir.resolve("ctl"))) return engine;
                if (engine == null && !master.isRunning()) {
                    List<String> lines = master.finalLines(java.time.Duration.ofSeconds(1));
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

    private static String remoteSocket(String dockerHost) {
        if (dockerHost.startsWith("unix://")) return dockerHost.substring("unix://".length());
        if (dockerHost.startsWith("tcp://")) return dockerHost.substring("tcp://".length());
        return DEFAULT_REMOTE_SOCKET;
    }

    private void ssh(Cancellation cancellation, String... args) throws BuildException {
        List<String> err = new ArrayList<>();
        ProcessResult r = run(cancellation, err::add, args);
        if (!r.succeeded()) {
            throw new BuildException("ssh to " + target + " failed: " + String.join(" ", err));
        }
    }

    private ProcessResult run(Cancellation cancellation, LineSink sink, String... args) throws BuildException {
        List<String> all = new ArrayList<>(sshBase);
        all.addAll(List.of(args));
        CommandLine cmd = ProcessRunner.command("ssh", all);
        try {
            return ProcessRunner.run(cmd, System.getenv(), null, null, sink, sink, Duration.ofSeconds(30),
                    cancellation);
        } catch (IOException e) {
            throw new BuildException("cannot run ssh: " + e.getMessage(), e);
        }
    }

    /**
     * DOCKER_HOST and DOCKER_CONFIG for docker commands run through this connection, and a PATH that finds the
     * connection's credential helper first.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DOCKER_HOST", dockerHost);
        env.put("DOCKER_CONFIG", configDirectory().toString());
        String path = env.get("PATH");
        env.put("PATH", binDirectory() + (path == null || path.isEmpty() ? "" : ":" + path));
        return env;
    }

    /**
     * Lets the docker client use these credentials for {@code registryHost} (log in, pull and push): they are held
     * by this process and handed to the client through a credential helper, never written to a file.
     */
    public synchronized void useCredentials(String registryHost, String username, String password)
            throws BuildException {
        if (credentials != null) credentials.close();
        credentials = CredentialHelper.start(binDirectory(), configDirectory(), registryHost, username, password);
    }

    private Path binDirectory() {
        return dir.resolve("bin");
    }

    /** binfmt_misc handler names of the engine's host (empty when unknown). */
    public List<String> binfmtHandlers() {
        return binfmt;
    }

    /** False once the SSH connection has dropped; a local socket is always taken to be there. */
    public boolean isOpen() {
        return master == null || master.isRunning();
    }

    public Path configDirectory() {
        return dir.resolve("config");
    }

    public String dockerHost() {
        return dockerHost;
    }

    @Override
    public void close() {
        if (hold != null) {
            try {
                hold.close();
            } catch (IOException e) {
                // the master is stopped below in any case
            }
        }
        if (master != null) master.close(); // ends the connection and its forwarding
        synchronized (this) {
            if (credentials != null) credentials.close();
        }
        Trees.delete(dir);
    }

}
