package io.imagebuilder.imagebuild.source;

import io.imagebuilder.ssh.SshIdentity;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * JGit's SSH client, set up from the caller's key and known_hosts file only. Its home and SSH directories point
 * to a private, empty directory, so {@code ~/.ssh} (config, keys, known_hosts) is never read or written, and no
 * SSH agent is asked for keys.
 */
final class SshConnections implements AutoCloseable {

    private final SshdSessionFactory factory;
    private final KnownHostsDatabase knownHosts;

    SshConnections(SshIdentity settings, Path privateDirectory) throws IOException {
        Files.createDirectories(privateDirectory);
        try {
            Files.setPosixFilePermissions(privateDirectory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the work directory is private to the caller anyway
        }
        File home = privateDirectory.toFile();
        Path key = settings.privateKey().toAbsolutePath();
        Path knownHostsFile = settings.knownHosts().toAbsolutePath();
        this.knownHosts = new KnownHostsDatabase(knownHostsFile);
        this.factory = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(home)
                // does not exist: every host gets the defaults, whatever ~/.ssh/config says
                .setConfigFile(dir -> new File(dir, "config"))
                .setDefaultIdentities(dir -> List.of(key))
                .setDefaultKnownHostsFiles(dir -> List.of(knownHostsFile))
                .setServerKeyDatabase((homeDir, sshDir) -> knownHosts)
                .setConnectorFactory(null)
                .build(null);
    }

    TransportConfigCallback configure() {
        return transport -> {
            if (transport instanceof SshTransport ssh) ssh.setSshSessionFactory(factory);
        };
    }

    /** Why the server's host key was refused, or null. */
    String hostKeyRejection() {
        return knownHosts.rejection();
    }

    @Override
    public void close() {
        factory.close();
    }
}
