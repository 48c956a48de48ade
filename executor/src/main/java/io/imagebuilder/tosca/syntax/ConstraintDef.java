package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YNode;

/** One constraint clause as written, e.g. {@code greater_than: 5}; checked against its type later. */
public record ConstraintDef(String operator, YNode argument, Location location) {
}
