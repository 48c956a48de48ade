package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.yaml.YNode;

import java.util.List;
import java.util.Map;

/** A group or policy: a type, properties, and the node templates it names. */
public record Group(String name, ResolvedType type, Map<String, YNode> properties, List<String> members) {

    public Group {
        properties = Maps.copy(properties);
        members = List.copyOf(members);
    }
}
