package io.imagebuilder.deploy;

import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;

import java.nio.file.Path;

/**
 * Finds where a node's operations run: the first node down its HostedOn chain that is a tosca.nodes.Compute.
 * Its address comes from the attribute or property public_address, private_address or address (attributes set at
 * run time win); "localhost", no address, or no compute at all mean the local machine. SSH settings come from
 * ssh_user, ssh_port, ssh_private_key and ssh_known_hosts; relative paths are relative to the template.
 */
public final class HostResolver {

    static final String COMPUTE = "tosca.nodes.Compute";

    private final Topology topology;
    private final RuntimeValues runtime;
    private final Path base;

    public HostResolver(Topology topology, RuntimeValues runtime) {
        this.topology = topology;
        this.runtime = runtime;
        Path template = topology.template();
        this.base = template == null || template.getParent() == null ? Path.of("") : template.getParent();
    }

    public HostConnection hostOf(String nodeName) {
        Node compute = null;
        for (Node n = topology.node(nodeName); n != null; n = n.host() == null ? null : topology.node(n.host())) {
            if (n.type().derivesFrom(COMPUTE)) {
                compute = n;
                break;
            }
        }
        if (compute == null) return HostConnection.LOCAL;
        String address = first(compute, "public_address", "private_address", "address");
        if (address == null || address.isEmpty() || address.equals("localhost")) return HostConnection.LOCAL;
        String port = first(compute, "ssh_port");
        String key = first(compute, "ssh_private_key");
        String knownHosts = first(compute, "ssh_known_hosts");
        return HostConnection.ssh(address, port == null ? null : Integer.valueOf(port), first(compute, "ssh_user"),
                path(key), path(knownHosts));
    }

    private Path path(String value) {
        return value == null || value.isEmpty() ? null : base.resolve(value).toAbsolutePath().normalize();
    }

    private String first(Node node, String... names) {
        for (String name : names) {
            YNode v = runtime.attribute(node.name(), null, name);
            if (v == null) v = node.attributes().get(name);
            if (v == null) v = node.properties().get(name);
            if (v instanceof YScalar s && s.value() != null) return s.text();
        }
        return null;
    }
}
