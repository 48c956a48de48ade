package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YMap;

/** An artifact of a node type or template: a file the node's operations use. */
public record ArtifactDef(Name name, Name type, Name file, String repository, String description,
                          String deployPath, YMap properties, Location location) {
}
