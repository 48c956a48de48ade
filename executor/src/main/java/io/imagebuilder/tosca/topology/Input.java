package io.imagebuilder.tosca.topology;

import io.imagebuilder.tosca.types.ResolvedProperty;
import io.imagebuilder.yaml.YNode;

/** A topology input with its definition and the value it takes (given, or its default); value null if unset and optional. */
public record Input(String name, ResolvedProperty definition, YNode value) {
}
