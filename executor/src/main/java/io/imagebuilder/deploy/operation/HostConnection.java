package io.imagebuilder.deploy.operation;

import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.ssh.SshIdentity;

import java.nio.file.Path;

/** How operations reach the machine a node is hosted on: the local machine ({@code ssh} null) or SSH. */
public record HostConnection(SshEndpoint ssh) {

    public static final HostConnection LOCAL = new HostConnection(null);

    /** {@code port}, {@code user}, {@code privateKey} and {@code knownHosts} may be null for ssh's defaults. */
    public static HostConnection ssh(String address, Integer port, String user, Path privateKey, Path knownHosts) {
        return new HostConnection(new SshEndpoint(user, address, port, new SshIdentity(privateKey, knownHosts)));
    }

    public boolean local() {
        return ssh == null;
    }

    /** As shown in logs, e.g. "root@127.0.0.1:2221" or "localhost". */
    public String describe() {
        return local() ? "localhost" : ssh.describe();
    }
}
