package io.imagebuilder.tosca.syntax;

import io.imagebuilder.yaml.Location;
import io.imagebuilder.yaml.YMap;

public record CapabilityAssignment(Name name, YMap properties, YMap attributes, Location location) {
}
