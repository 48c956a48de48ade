package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.yaml.YNode;

import java.util.List;
import java.util.Map;

/** A group or policy: a type, properties, the templates it names, and (policies) its triggers. */
public record Group(String name, ResolvedType type, Map<String, YNode> properties, List<String> members,
                    List<Trigger> triggers) {

    public Group {
        properties = Maps.copy(properties);
        members = List.copyOf(members);
        triggers = List.copyOf(triggers);
    }

    public Group withTriggers(List<Trigger> resolved) {
        return new Group(name, type, properties, members, resolved);
    }
}
