package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YMap;

import java.util.Map;

/** The relationship of a requirement assignment: a relationship type or template name, with properties and interfaces. */
public record RelationshipAssignment(Name type, YMap properties, Map<String, InterfaceDef> interfaces,
                                     Location location) {

    public RelationshipAssignment {
        interfaces = Maps.copy(interfaces);
    }
}
