package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.imagebuild.host.ClientCapabilityCache;

/**
 * What the builds of one process share about their build hosts: the build slots taken on each engine, and what
 * each docker client can do. Whoever runs builds makes one and hands it to all of them: a server one for every
 * build it runs, a command line run its own.
 */
public record SharedHosts(HostSlots slots, ClientCapabilityCache clients) {

    public static SharedHosts create() {
        return new SharedHosts(new HostSlots(), new ClientCapabilityCache());
    }
}
