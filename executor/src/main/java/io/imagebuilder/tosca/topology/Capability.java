package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.tosca.types.ResolvedCapability;
import io.imagebuilder.yaml.YNode;

import java.util.Map;

public record Capability(String name, ResolvedCapability definition, Map<String, YNode> properties) {

    public Capability {
        properties = Maps.copy(properties);
    }

    public Capability withProperties(Map<String, YNode> resolved) {
        return new Capability(name, definition, resolved);
    }
}
