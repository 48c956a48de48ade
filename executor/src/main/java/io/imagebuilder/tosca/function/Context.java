package io.imagebuilder.tosca.function;

import io.imagebuilder.tosca.topology.Relationship;

/**
 * Where a value is evaluated: SELF is {@code node}, or the {@code relationship} when one is given
 * (then SOURCE and TARGET are its ends). Outputs have neither.
 */
public record Context(String node, Relationship relationship) {

    public static final Context TOPOLOGY = new Context(null, null);

    public static Context ofNode(String node) {
        return new Context(node, null);
    }

    public static Context ofRelationship(Relationship relationship) {
        return new Context(relationship.source(), relationship);
    }
}
