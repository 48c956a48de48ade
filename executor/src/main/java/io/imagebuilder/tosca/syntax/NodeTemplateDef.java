package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YMap;

import java.util.List;
import java.util.Map;

/** A node template as written. */
public record NodeTemplateDef(Name name, Name type, String description, Map<String, String> metadata,
                              List<String> directives, YMap properties, YMap attributes,
                              List<RequirementAssignment> requirements,
                              Map<String, CapabilityAssignment> capabilities,
                              Map<String, InterfaceDef> interfaces, Map<String, ArtifactDef> artifacts,
                              Location location) {

    public NodeTemplateDef {
        metadata = Maps.copy(metadata);
        directives = List.copyOf(directives);
        requirements = List.copyOf(requirements);
        capabilities = Maps.copy(capabilities);
        interfaces = Maps.copy(interfaces);
        artifacts = Maps.copy(artifacts);
    }
}
