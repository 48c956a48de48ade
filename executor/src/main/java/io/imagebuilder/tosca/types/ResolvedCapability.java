package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Location;
import io.imagebuilder.tosca.syntax.Occurrences;
import io.imagebuilder.util.Maps;

import java.util.List;
import java.util.Map;

/** A capability a node type offers, with the properties of its type and its refinements merged. */
public record ResolvedCapability(String name, ResolvedType type, Map<String, ResolvedProperty> properties,
                                 Map<String, ResolvedProperty> attributes, List<ResolvedType> validSourceTypes,
                                 Occurrences occurrences, Location location) {

    public ResolvedCapability {
        properties = Maps.copy(properties);
        attributes = Maps.copy(attributes);
        validSourceTypes = List.copyOf(validSourceTypes);
    }
}
