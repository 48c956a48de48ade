package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.util.List;
import java.util.Map;

public record TopologyTemplate(String description, Map<String, PropertyDef> inputs,
                               Map<String, NodeTemplateDef> nodeTemplates,
                               Map<String, RelationshipTemplateDef> relationshipTemplates,
                               Map<String, GroupDef> groups, List<GroupDef> policies,
                               Map<String, OutputDef> outputs, Location location) {

    public TopologyTemplate {
        inputs = Maps.copy(inputs);
        nodeTemplates = Maps.copy(nodeTemplates);
        relationshipTemplates = Maps.copy(relationshipTemplates);
        groups = Maps.copy(groups);
        policies = List.copyOf(policies);
        outputs = Maps.copy(outputs);
    }
}
