package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Location;
import io.imagebuilder.tosca.value.Constraint;
import io.imagebuilder.yaml.YNode;

import java.util.List;

/** A property, attribute or input definition with its type resolved and its constraints parsed. */
public record ResolvedProperty(String name, ValueType type, List<Constraint> constraints, boolean required,
                               YNode defaultValue, String description, boolean secret, Location location) {

    public ResolvedProperty {
        constraints = List.copyOf(constraints);
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }
}
