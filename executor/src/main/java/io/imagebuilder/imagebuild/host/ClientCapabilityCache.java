package io.imagebuilder.imagebuild.host;

import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What each docker client binary can do, found out once and then remembered. Whoever runs builds makes one and
 * hands it down: a server one for all its builds, a command line run its own, a test a fresh one.
 */
public final class ClientCapabilityCache {

    private final ConcurrentHashMap<String, ClientCapabilities> known = new ConcurrentHashMap<>();

    public ClientCapabilities of(String client) throws BuildException {
        ClientCapabilities caps = known.get(client);
        if (caps != null) return caps;
        // two builds may ask at once and both run the client; the answers are the same, so either may stay
        caps = ClientCapabilities.detect(client);
        known.putIfAbsent(client, caps);
        return caps;
    }
}
