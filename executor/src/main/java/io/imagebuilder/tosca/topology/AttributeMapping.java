package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Location;

/**
 * An operation output mapped to an attribute (TOSCA 1.3 §3.6.17 attribute mapping): when the operation returns
 * {@code output}, it becomes attribute {@code attribute} of {@code entity} (SELF, SOURCE or TARGET).
 */
public record AttributeMapping(String output, String entity, String attribute, Location location) {
}
