package io.imagebuilder.deploy.operation;

import java.nio.file.Path;

/**
 * How operations reach the machine a node is hosted on: the local machine, or SSH with a verified host key.
 * {@code privateKey} and {@code knownHosts} may be null to use the SSH client's defaults.
 */
public record HostConnection(boolean local, String address, Integer port, String user, Path privateKey,
                             Path knownHosts) {

    public static final HostConnection LOCAL = new HostConnection(true, "localhost", null, null, null, null);

    public static HostConnection ssh(String address, Integer port, String user, Path privateKey, Path knownHosts) {
        return new HostConnection(false, address, port, user, privateKey, knownHosts);
    }

    /** As shown in logs, e.g. "root@127.0.0.1:2221" or "localhost". */
    public String describe() {
        if (local) return "localhost";
        return (user == null ? "" : user + "@") + address + (port == null ? "" : ":" + port);
    }
}
