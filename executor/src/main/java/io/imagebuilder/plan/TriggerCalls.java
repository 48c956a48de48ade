package io.imagebuilder.plan;

import io.imagebuilder.tosca.topology.Group;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.topology.Trigger;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operations a trigger's action runs: each activity in order, on each target node in topology order. */
public final class TriggerCalls {

    /** One operation on one node, its inputs the operation's own with the action's assigned over them. */
    public record Call(Trigger trigger, String node, Operation operation) {
    }

    private TriggerCalls() {
    }

    /** Every trigger of every policy, in template order. */
    public static List<Trigger> all(Topology topology) {
        List<Trigger> out = new ArrayList<>();
        for (Group policy : topology.policies()) out.addAll(policy.triggers());
        return out;
    }

    public static List<Call> of(Topology topology, Trigger trigger) {
        List<Call> out = new ArrayList<>();
        for (Trigger.Action action : trigger.actions()) {
            for (String target : trigger.targets()) {
                Node node = topology.node(target);
                Operation op = node.interfaces().get(action.interfaceName()).operations().get(action.operation());
                Map<String, YNode> inputs = new LinkedHashMap<>(op.inputs());
                inputs.putAll(action.inputs());
                out.add(new Call(trigger, target, op.withInputs(inputs)));
            }
        }
        return out;
    }
}
