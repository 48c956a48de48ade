package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YMap;

public record CapabilityAssignment(Name name, YMap properties, YMap attributes, Location location) {
}
