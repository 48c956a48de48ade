package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A build host's engine, reachable by the docker client for the length of a build. For an ssh:// host the remote
 * engine's socket is forwarded to a local socket over one SSH connection, with the host key verified
 * ({@link EngineTunnel}): every docker command then costs a local socket round trip instead of a new SSH session.
 * The docker client also gets a private, temporary configuration directory, and registry credentials through a
 * credential helper served by this process.
 */
public final class EngineConnection implements AutoCloseable {

    private final Path dir;
    private final String dockerHost;
    /** The SSH connection that forwards the engine's socket; null for a local engine. */
    private final EngineTunnel tunnel;
    /** binfmt_misc handler names on the engine's host, such as qemu-aarch64. */
    private final List<String> binfmt;
    private CredentialHelper credentials;
    /** A credential helper installed while the connection opened, for the first registry it is given; or null. */
    private CompletableFuture<CredentialHelper> installed;

    private EngineConnection(Path dir, String dockerHost, EngineTunnel tunnel, List<String> binfmt,
                             CompletableFuture<CredentialHelper> installed) {
        this.dir = dir;
        this.dockerHost = dockerHost;
        this.tunnel = tunnel;
        this.binfmt = List.copyOf(binfmt);
        this.installed = installed;
    }

    public static EngineConnection open(BuildHost host, LineSink log, Cancellation cancellation)
            throws BuildException {
        Path dir = privateDirectory();
        try {
            Files.createDirectory(dir.resolve("config"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            Trees.delete(dir);
            throw new BuildException("cannot connect to " + host.dockerHost() + ": " + e.getMessage(), e);
        }
        if (!host.isSsh()) return new EngineConnection(dir, host.dockerHost(), null, localBinfmt(), null);
        SshEndpoint target = host.endpoint();
        String files = target.identity().problem();
        if (files != null) {
            Trees.delete(dir);
            throw new BuildException("cannot connect to " + target + ": " + files);
        }
        CompletableFuture<CredentialHelper> helper = installAhead(dir.resolve("bin"));
        try {
            EngineTunnel tunnel = EngineTunnel.open(target, dir, log, cancellation);
            return new EngineConnection(dir, "unix://" + tunnel.socket(), tunnel, tunnel.binfmtHandlers(), helper);
        } catch (BuildException | RuntimeException e) {
            new EngineConnection(dir, null, null, List.of(), helper).close();
            throw e;
        }
    }

    /** The credential helper, installed on another thread while the SSH connection is made. */
    private static CompletableFuture<CredentialHelper> installAhead(Path binDirectory) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CredentialHelper.install(binDirectory);
            } catch (BuildException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The helper installed ahead, once it is ready; null when there is none, or it could not be installed. */
    private CredentialHelper takeInstalled() {
        CompletableFuture<CredentialHelper> f = installed;
        installed = null;
        if (f == null) return null;
        try {
            return f.join();
        } catch (CompletionException e) {
            return null; // installed again where it is wanted, which reports what stands in the way
        }
    }

    private static Path privateDirectory() throws BuildException {
        try {
            return PrivateDirectory.create();
        } catch (IOException e) {
            throw new BuildException("cannot create a private directory: " + e.getMessage(), e);
        }
    }

    private static List<String> localBinfmt() {
        try (var names = Files.list(Path.of("/proc/sys/fs/binfmt_misc"))) {
            return names.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
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
        CredentialHelper helper = takeInstalled();
        if (helper == null) helper = CredentialHelper.install(binDirectory());
        credentials = helper.serve(configDirectory(), registryHost, username, password);
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
        return tunnel == null || tunnel.isOpen();
    }

    public Path configDirectory() {
        return dir.resolve("config");
    }

    public String dockerHost() {
        return dockerHost;
    }

    /** The unix socket the engine is reached at from here (forwarded, or its own); null for another transport. */
    public Path engineSocket() {
        return dockerHost != null && dockerHost.startsWith("unix://")
                ? Path.of(dockerHost.substring("unix://".length())) : null;
    }

    @Override
    public void close() {
        if (tunnel != null) tunnel.close();
        synchronized (this) {
            CredentialHelper unused = takeInstalled();
            if (unused != null) unused.close();
            if (credentials != null) credentials.close();
        }
        Trees.delete(dir);
    }
}
