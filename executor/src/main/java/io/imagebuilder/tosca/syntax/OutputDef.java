package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YNode;

public record OutputDef(Name name, String description, Name type, YNode value, Location location) {
}
