package io.imagebuilder.tosca.syntax;

import io.imagebuilder.yaml.YNode;

/** A value kept as written, for constructs whose meaning is resolved in a later phase. */
public record YNodeRef(Name name, YNode node) {
}
