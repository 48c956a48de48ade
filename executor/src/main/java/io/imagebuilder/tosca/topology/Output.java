package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YNode;

public record Output(String name, String description, YNode value, Location location) {
}
