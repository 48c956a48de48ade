package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.tosca.types.ResolvedCapability;
import io.imagebuilder.yaml.YNode;

import java.util.Map;

public record Capability(String name, ResolvedCapability definition, Map<String, YNode> properties,
                         Map<String, YNode> attributes) {

    public Capability {
        properties = Maps.copy(properties);
        attributes = Maps.copy(attributes);
    }

    public Capability withProperties(Map<String, YNode> resolved) {
        return new Capability(name, definition, resolved, attributes);
    }
}
