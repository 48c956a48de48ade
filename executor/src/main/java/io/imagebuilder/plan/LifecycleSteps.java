package io.imagebuilder.plan;

import io.imagebuilder.tosca.topology.Interface;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Relationship;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations a node runs, in order, to be deployed or undeployed. Operations without an implementation have
 * nothing to run and are left out; the node still passes through their states.
 */
public final class LifecycleSteps {

    private static final String STANDARD = "Standard";
    private static final String CONFIGURE = "Configure";

    private LifecycleSteps() {
    }

    public static List<LifecycleStep> deploy(Node node) {
        List<LifecycleStep> steps = new ArrayList<>();
        own(steps, node, "create", NodeState.CREATING, NodeState.CREATED);
        related(steps, node, List.of("pre_configure_source", "pre_configure_target"), NodeState.CREATED);
        own(steps, node, "configure", NodeState.CONFIGURING, NodeState.CONFIGURED);
        related(steps, node, List.of("post_configure_source", "post_configure_target"), NodeState.CONFIGURED);
        own(steps, node, "start", NodeState.STARTING, NodeState.STARTED);
        related(steps, node, List.of("add_target", "add_source"), NodeState.STARTED);
        return steps;
    }

    public static List<LifecycleStep> undeploy(Node node) {
        List<LifecycleStep> steps = new ArrayList<>();
        own(steps, node, "stop", NodeState.STOPPING, NodeState.STOPPED);
        related(steps, node, List.of("remove_target", "remove_source"), NodeState.STOPPED);
        own(steps, node, "delete", NodeState.DELETING, NodeState.DELETED);
        return steps;
    }

    private static void own(List<LifecycleStep> steps, Node node, String name, NodeState during, NodeState after) {
        Interface standard = node.interfaces().get(STANDARD);
        Operation op = standard == null ? null : standard.operations().get(name);
        if (op != null && op.implementation() != null) {
            steps.add(new LifecycleStep(op.qualifiedName(), op, null, during, after));
        }
    }

    private static void related(List<LifecycleStep> steps, Node node, List<String> names, NodeState state) {
        for (Relationship r : node.requirements()) {
            Interface configure = r.interfaces().get(CONFIGURE);
            if (configure == null) continue;
            for (String name : names) {
                Operation op = configure.operations().get(name);
                if (op != null && op.implementation() != null) {
                    String id = r.requirement() + "->" + r.target() + ":" + op.qualifiedName();
                    steps.add(new LifecycleStep(id, op, r, state, state));
                }
            }
        }
    }
}
