package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.util.Map;

/** An interface operation, in a type or a template. {@code implementation} may be null. */
public record OperationDef(Name name, String description, ImplementationDef implementation,
                           Map<String, InputDef> inputs, Map<String, YNodeRef> outputs, Location location) {

    public OperationDef {
        inputs = Maps.copy(inputs);
        outputs = Maps.copy(outputs);
    }
}
