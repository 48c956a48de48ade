package io.imagebuilder.plan;

import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Relationship;

/**
 * One operation of a node's lifecycle: on the node itself, or (when {@code relationship} is set) on one of its
 * relationships. The node is {@code during} while it runs and {@code after} once it succeeded.
 */
public record LifecycleStep(String id, Operation operation, Relationship relationship, NodeState during,
                            NodeState after) {
}
