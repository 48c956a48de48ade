package io.imagebuilder.tosca.function;

import io.imagebuilder.tosca.topology.Relationship;

/**
 * Where a value is evaluated: SELF is {@code node}, or the {@code relationship} when one is given
 * (then SOURCE and TARGET are its ends), or the {@code policy} whose trigger holds the value. Outputs have none.
 */
public record Context(String node, Relationship relationship, String policy) {

    public static final Context TOPOLOGY = new Context(null, null, null);

    public static Context ofNode(String node) {
        return new Context(node, null, null);
    }

    public static Context ofRelationship(Relationship relationship) {
        return new Context(relationship.source(), relationship, null);
    }

    /** In a trigger's action: SELF is the policy, which has properties only. */
    public static Context ofPolicy(String policy) {
        return new Context(null, null, policy);
    }
}
