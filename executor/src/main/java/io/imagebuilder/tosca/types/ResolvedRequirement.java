package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Location;
import io.imagebuilder.tosca.syntax.Occurrences;

/** A requirement a node type declares; {@code node} and {@code relationship} may be null. */
public record ResolvedRequirement(String name, ResolvedType capability, ResolvedType node,
                                  ResolvedType relationship, Occurrences occurrences, Location location) {
}
