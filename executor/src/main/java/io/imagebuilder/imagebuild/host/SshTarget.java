package io.imagebuilder.imagebuild.host;

import io.imagebuilder.imagebuild.outcome.BuildException;

import java.net.URI;
import java.net.URISyntaxException;

/** The parts of an {@code ssh://[user@]host[:port]} address. */
public record SshTarget(String user, String host, int port) {

    public static SshTarget parse(String dockerHost) throws BuildException {
        try {
            URI uri = new URI(dockerHost);
            if (!"ssh".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) throw new URISyntaxException(dockerHost, "");
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new BuildException("docker host " + dockerHost + " has a path; expected ssh://[user@]host[:port]");
            }
            // ssh reads an argument starting with "-" as an option (-oProxyCommand=... runs a command)
            if (uri.getHost().startsWith("-") || (uri.getUserInfo() != null && uri.getUserInfo().startsWith("-"))) {
                throw new BuildException("docker host " + dockerHost + ": the user and the host must not begin with"
                        + " \"-\"; expected ssh://[user@]host[:port]");
            }
            return new SshTarget(uri.getUserInfo(), uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort());
        } catch (URISyntaxException e) {
            throw new BuildException("docker host \"" + dockerHost + "\" is not ssh://[user@]host[:port]");
        }
    }

    /** The destination argument for ssh, e.g. "root@127.0.0.1". */
    public String destination() {
        return user == null ? host : user + "@" + host;
    }

    @Override
    public String toString() {
        return "ssh://" + destination() + ":" + port;
    }
}
