package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YMap;

import java.util.Map;

public record RelationshipTemplateDef(Name name, Name type, String description, YMap properties, YMap attributes,
                                      Map<String, InterfaceDef> interfaces, Location location) {

    public RelationshipTemplateDef {
        interfaces = Maps.copy(interfaces);
    }
}
