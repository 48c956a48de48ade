package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.util.Map;

/** A requirement a node type declares: what capability it needs, of which node, through which relationship. */
public record RequirementDef(Name name, Name capability, Name node, Name relationship,
                             Map<String, InterfaceDef> relationshipInterfaces, Occurrences occurrences,
                             Location location) {

    public RequirementDef {
        relationshipInterfaces = Maps.copy(relationshipInterfaces);
    }
}
