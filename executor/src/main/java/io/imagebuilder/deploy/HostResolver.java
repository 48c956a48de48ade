package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.tosca.topology.HostSettings;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;

import java.nio.file.Path;
import java.util.List;

/**
 * Finds where a node's operations run: the first node down its HostedOn chain that is a tosca.nodes.Compute.
 * Its address comes from the attribute or property public_address, private_address or address (attributes set at
 * run time win); "localhost", no address, or no compute at all mean the local machine. SSH settings come from
 * ssh_user, ssh_port, ssh_private_key and ssh_known_hosts; relative paths are relative to the template.
 * <p>
 * Values set at run time (with set_stats) were not checked with the template, so the address, user and port are
 * checked here, before anything runs on the host.
 */
public final class HostResolver {

    private final Topology topology;
    private final RuntimeValues runtime;
    private final Path base;

    public HostResolver(Topology topology, RuntimeValues runtime) {
        this.topology = topology;
        this.runtime = runtime;
        Path template = topology.template();
        this.base = template == null || template.getParent() == null ? Path.of("") : template.getParent();
    }

    /** A host setting that cannot be used; the message names the node and the setting. */
    public static final class InvalidSettingException extends Exception {
        InvalidSettingException(String message) {
            super(message);
        }
    }

    public HostConnection hostOf(String nodeName) throws InvalidSettingException {
        Node compute = null;
        for (Node n = topology.node(nodeName); n != null; n = n.host() == null ? null : topology.node(n.host())) {
            if (n.type().derivesFrom(HostSettings.COMPUTE)) {
                compute = n;
                break;
            }
        }
        if (compute == null) return HostConnection.LOCAL;
        String address = checked(compute, HostSettings.ADDRESSES);
        if (address == null || address.isEmpty() || address.equals("localhost")) return HostConnection.LOCAL;
        String port = checked(compute, List.of(HostSettings.PORT));
        String user = checked(compute, List.of(HostSettings.USER));
        return HostConnection.ssh(address, port == null ? null : Integer.valueOf(port),
                user == null || user.isEmpty() ? null : user,
                path(first(compute, List.of(HostSettings.PRIVATE_KEY))),
                path(first(compute, List.of(HostSettings.KNOWN_HOSTS))));
    }

    private Path path(Setting setting) {
        String value = setting == null ? null : setting.text();
        return value == null || value.isEmpty() ? null : base.resolve(value).toAbsolutePath().normalize();
    }

    private String checked(Node node, List<String> names) throws InvalidSettingException {
        Setting s = first(node, names);
        if (s == null) return null;
        String problem = HostSettings.problem(s.name(), s.value());
        if (problem != null) {
            throw new InvalidSettingException("node \"" + node.name() + "\" " + s.kind() + " " + s.name() + ": "
                    + problem + ", got " + YScalar.describeValue(s.value()));
        }
        return s.text();
    }

    private record Setting(String name, String kind, Object value) {
        String text() {
            return String.valueOf(value);
        }
    }

    private Setting first(Node node, List<String> names) {
        for (String name : names) {
            YNode v = runtime.attribute(node.name(), null, name);
            String kind = "attribute";
            if (v == null) v = node.attributes().get(name);
            if (v == null) {
                v = node.properties().get(name);
                kind = "property";
            }
            if (v instanceof YScalar s && s.value() != null) return new Setting(name, kind, s.value());
        }
        return null;
    }
}
