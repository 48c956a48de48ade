package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.problem.Location;
import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.yaml.YNode;

import java.util.Map;

/**
 * A requirement of {@code source} fulfilled by capability {@code capability} of node {@code target}.
 * {@code template} names the relationship template it was made from, if any; {@code attributes} holds the
 * attribute values that template assigns. A relationship template no requirement uses has no source or target.
 */
public record Relationship(String requirement, String source, String target, String capability, ResolvedType type,
                           String template, Map<String, YNode> properties, Map<String, YNode> attributes,
                           Map<String, Interface> interfaces, Location location) {

    public static final String HOSTED_ON = "tosca.relationships.HostedOn";

    public Relationship {
        properties = Maps.copy(properties);
        attributes = Maps.copy(attributes);
        interfaces = Maps.copy(interfaces);
    }

    public boolean isHostedOn() {
        return type.derivesFrom(HOSTED_ON);
    }

    /** Names this relationship among its source's: the requirement and the node it targets. */
    public String key() {
        return requirement + "->" + target;
    }

    public boolean isDetached() {
        return source == null;
    }

    public Relationship with(Map<String, YNode> newProperties, Map<String, Interface> newInterfaces) {
        return new Relationship(requirement, source, target, capability, type, template, newProperties, attributes,
                newInterfaces, location);
    }
}
