package io.imagebuilder.deploy;

import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.NodeRecord;
import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.problem.Location;
import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YNodes;

import java.util.Map;

/** Attributes and operation outputs as the deployment state holds them. */
public final class StateRuntimeValues implements RuntimeValues {

    private static final Location AT = Location.file("deployment state");
    private final StateStore store;

    public StateRuntimeValues(StateStore store) {
        this.store = store;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public YNode attribute(String node, String capability, String attribute) {
        if (capability != null) return null; // capability attributes are never set by operations here
        synchronized (store) {
            DeploymentState s = store.state();
            NodeRecord r = s == null ? null : s.nodes.get(node);
            if (r != null && r.attributes.containsKey(attribute)) return YNodes.of(r.attributes.get(attribute), AT);
            // tosca.nodes.Root's own attributes describe the node itself
            return switch (attribute) {
                case "tosca_name", "tosca_id" -> YNodes.of(node, AT);
                case "state" -> r == null ? null : YNodes.of(r.state.label(), AT);
                default -> null;
            };
        }
    }

    @Override
    public YNode relationshipAttribute(String source, String relationship, String attribute) {
        synchronized (store) {
            DeploymentState s = store.state();
            NodeRecord r = s == null ? null : s.nodes.get(source);
            Map<String, Object> values = r == null ? null : r.relationships.get(relationship);
            if (values == null || !values.containsKey(attribute)) return null;
            return YNodes.of(values.get(attribute), AT);
        }
    }

    @Override
    public YNode operationOutput(String node, String interfaceName, String operation, String output) {
        synchronized (store) {
            DeploymentState s = store.state();
            NodeRecord r = s == null ? null : s.nodes.get(node);
            Map<String, Object> outputs = r == null ? null : r.outputs.get(interfaceName + "." + operation);
            if (outputs == null || !outputs.containsKey(output)) return null;
            return YNodes.of(outputs.get(output), AT);
        }
    }
}
