package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.util.List;
import java.util.Map;

/** A capability a node type offers. */
public record CapabilityDef(Name name, Name type, String description, Map<String, PropertyDef> properties,
                            Map<String, PropertyDef> attributes, List<Name> validSourceTypes,
                            Occurrences occurrences, Location location) {

    public CapabilityDef {
        properties = Maps.copy(properties);
        attributes = Maps.copy(attributes);
        validSourceTypes = List.copyOf(validSourceTypes);
    }
}
