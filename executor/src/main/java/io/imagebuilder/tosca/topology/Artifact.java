package io.imagebuilder.tosca.topology;

import io.imagebuilder.tosca.types.ResolvedType;

/** A file a node's operations use, relative to {@code baseDirectory}. */
public record Artifact(String name, ResolvedType type, String file, String deployPath, String baseDirectory) {
}
