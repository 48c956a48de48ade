package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YNode;

import java.util.List;
import java.util.Map;

/**
 * A policy's trigger, checked against the topology: the nodes it acts on (the policy's targets narrowed by its
 * target filter) and the operations its action calls on each. {@code condition} is shown, never evaluated
 * (null: none).
 */
public record Trigger(String name, String policy, String description, String event, String condition,
                      List<String> targets, List<Action> actions, Location location) {

    public Trigger {
        targets = List.copyOf(targets);
        actions = List.copyOf(actions);
    }

    /** Whether {@code nameOrEvent} selects this trigger, by its name or by its event, as xOpera's notify does. */
    public boolean answers(String nameOrEvent) {
        return name.equals(nameOrEvent) || nameOrEvent.equals(event);
    }

    public Trigger withActions(List<Action> resolved) {
        return new Trigger(name, policy, description, event, condition, targets, resolved, location);
    }

    /** A call_operation: {@code inputs} are assigned over the operation's own. */
    public record Action(String interfaceName, String operation, Map<String, YNode> inputs, Location location) {

        public Action {
            inputs = Maps.copy(inputs);
        }

        public String qualifiedName() {
            return interfaceName + "." + operation;
        }

        public Action withInputs(Map<String, YNode> resolved) {
            return new Action(interfaceName, operation, resolved, location);
        }
    }
}
