package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.problem.Location;
import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.yaml.YNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A node template with its type applied: properties rendered with defaults, requirements bound to targets. */
public record Node(String name, ResolvedType type, Map<String, YNode> properties, Map<String, YNode> attributes,
                   Map<String, Capability> capabilities, List<Relationship> requirements,
                   Map<String, Interface> interfaces, Map<String, Artifact> artifacts, Location location) {

    public Node {
        properties = Maps.copy(properties);
        attributes = Maps.copy(attributes);
        capabilities = Maps.copy(capabilities);
        requirements = List.copyOf(requirements);
        interfaces = Maps.copy(interfaces);
        artifacts = Maps.copy(artifacts);
    }

    /** The node this one is hosted on, if any. */
    public String host() {
        for (Relationship r : requirements) {
            if (r.isHostedOn()) return r.target();
        }
        return null;
    }

    public Node with(Map<String, YNode> newProperties, Map<String, YNode> newAttributes,
                     Map<String, Capability> newCapabilities, List<Relationship> newRequirements,
                     Map<String, Interface> newInterfaces) {
        return new Node(name, type, newProperties, newAttributes, newCapabilities, newRequirements, newInterfaces,
                artifacts, location);
    }
}
