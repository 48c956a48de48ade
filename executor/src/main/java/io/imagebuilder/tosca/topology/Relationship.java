package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.yaml.Location;
import io.imagebuilder.yaml.YNode;

import java.util.Map;

/** A requirement of {@code source} fulfilled by capability {@code capability} of node {@code target}. */
public record Relationship(String requirement, String source, String target, String capability, ResolvedType type,
                           Map<String, YNode> properties, Map<String, Interface> interfaces, Location location) {

    public static final String HOSTED_ON = "tosca.relationships.HostedOn";

    public Relationship {
        properties = Maps.copy(properties);
        interfaces = Maps.copy(interfaces);
    }

    public boolean isHostedOn() {
        return type.derivesFrom(HOSTED_ON);
    }

    public Relationship with(Map<String, YNode> newProperties, Map<String, Interface> newInterfaces) {
        return new Relationship(requirement, source, target, capability, type, newProperties, newInterfaces,
                location);
    }
}
