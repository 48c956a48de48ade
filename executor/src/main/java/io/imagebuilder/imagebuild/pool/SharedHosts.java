package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.ClientCapabilityCache;
import io.imagebuilder.imagebuild.params.RegistrySpec;

import java.util.List;

/**
 * What the builds of one process share about their build hosts: the build slots taken on each engine, what each
 * docker client can do, and the connections opened ahead of the builds that will use them. Whoever runs builds
 * makes one and hands it to all of them: a server one for every build it runs, a command line run its own.
 */
public record SharedHosts(HostSlots slots, ClientCapabilityCache clients, ConnectionsAhead ahead) {

    public static SharedHosts create() {
        return new SharedHosts(new HostSlots(), new ClientCapabilityCache(), new ConnectionsAhead());
    }

    /**
     * Starts connecting to {@code hosts}, and checking the login to {@code registry} (null: none), for a build that
     * is about to run; its build takes them when it wants them. Closing the result closes the connections it did
     * not take.
     */
    public ConnectionsAhead.Opened connectAhead(List<BuildHost> hosts, RegistrySpec registry,
                                                Cancellation cancellation) {
        return ahead.open(hosts, registry, cancellation);
    }
}
