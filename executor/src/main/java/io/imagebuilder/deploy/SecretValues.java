package io.imagebuilder.deploy;

import io.imagebuilder.secret.SecretNames;
import io.imagebuilder.tosca.topology.Interface;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Secrets;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Collects the text of every secret value in a topology, so that it can be masked wherever it turns up. */
public final class SecretValues {

    private SecretValues() {
    }

    public static Set<String> of(Topology topology) {
        Set<String> out = new HashSet<>();
        Secrets secrets = topology.secrets();
        topology.inputs().values().forEach(i -> collect(i.value(), secrets.isSecret(i.value())
                || SecretNames.isSecret(i.name()), secrets, out));
        for (Node n : topology.nodes().values()) {
            collectMap(n.properties(), secrets, out);
            collectInterfaces(n.interfaces(), secrets, out);
            for (Relationship r : n.requirements()) {
                collectMap(r.properties(), secrets, out);
                collectInterfaces(r.interfaces(), secrets, out);
            }
        }
        return out;
    }

    private static void collectInterfaces(Map<String, Interface> interfaces, Secrets secrets, Set<String> out) {
        interfaces.values().forEach(i -> i.operations().values().forEach(op -> collectMap(op.inputs(), secrets, out)));
    }

    private static void collectMap(Map<String, YNode> values, Secrets secrets, Set<String> out) {
        values.forEach((k, v) -> collect(v, SecretNames.isSecret(k) || secrets.isSecret(v), secrets, out));
    }

    private static void collect(YNode value, boolean secret, Secrets secrets, Set<String> out) {
        if (value == null) return;
        boolean isSecret = secret || secrets.isSecret(value);
        if (value instanceof YScalar s) {
            if (isSecret && s.value() != null) out.add(s.text());
        } else if (value instanceof YSeq seq) {
            seq.items().forEach(item -> collect(item, isSecret, secrets, out));
        } else if (value instanceof YMap map) {
            map.entries().forEach((k, v) -> collect(v, isSecret || SecretNames.isSecret(k), secrets, out));
        }
    }
}
