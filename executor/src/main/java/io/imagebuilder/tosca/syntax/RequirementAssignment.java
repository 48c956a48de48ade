package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;

/** A requirement in a node template: the target node, and optionally capability and relationship. */
public record RequirementAssignment(Name name, Name node, Name capability, RelationshipAssignment relationship,
                                    Location location) {
}
