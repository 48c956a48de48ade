package io.imagebuilder.ssh;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/** A machine reached over SSH: {@code [user@]host[:port]} (null user and port: the client's defaults). */
public record SshEndpoint(String user, String host, Integer port, SshIdentity identity) {

    public SshEndpoint {
        Objects.requireNonNull(host, "host");
        identity = identity == null ? SshIdentity.DEFAULTS : identity;
        // ssh reads an argument starting with "-" as an option (-oProxyCommand=... runs a command)
        if (host.startsWith("-") || (user != null && user.startsWith("-"))) {
            throw new IllegalArgumentException("the user and the host must not begin with \"-\"");
        }
    }

    /**
     * An {@code ssh://[user@]host[:port]} address, as Docker takes it.
     *
     * @throws IllegalArgumentException with a message fit for the user when {@code url} is not one
     */
    public static SshEndpoint parse(String url, SshIdentity identity) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"ssh".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("\"" + url + "\" is not ssh://[user@]host[:port]");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException(url + " has a path; expected ssh://[user@]host[:port]");
        }
        try {
            return new SshEndpoint(uri.getUserInfo(), uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort(),
                    identity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(url + ": " + e.getMessage() + "; expected ssh://[user@]host[:port]");
        }
    }

    /** The destination argument for ssh, e.g. "root@127.0.0.1". */
    public String destination() {
        return user == null ? host : user + "@" + host;
    }

    /** As shown in logs, e.g. "root@127.0.0.1:2221". */
    public String describe() {
        return destination() + (port == null ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return "ssh://" + describe();
    }
}
