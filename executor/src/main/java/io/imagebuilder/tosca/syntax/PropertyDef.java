package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YNode;

import java.util.List;
import java.util.Map;

/**
 * A property, attribute, topology input or operation input definition.
 * {@code defaultValue} is null when no default was written (a written {@code default: null} is a YScalar).
 */
public record PropertyDef(Name name, Name type, String description, boolean required, YNode defaultValue,
                          YNode value, List<ConstraintDef> constraints, SchemaDef keySchema, SchemaDef entrySchema,
                          String status, Map<String, String> metadata, Location location) {

    public PropertyDef {
        constraints = List.copyOf(constraints);
        metadata = Maps.copy(metadata);
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }
}
