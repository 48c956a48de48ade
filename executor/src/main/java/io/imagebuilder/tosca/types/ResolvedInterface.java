package io.imagebuilder.tosca.types;

import io.imagebuilder.util.Maps;
import io.imagebuilder.tosca.syntax.InputDef;
import io.imagebuilder.tosca.syntax.OperationDef;

import java.util.Map;

/** An interface of a node or relationship type: its interface type, inputs and operations merged down the hierarchy. */
public record ResolvedInterface(String name, ResolvedType type, Map<String, InputDef> inputs,
                                Map<String, OperationDef> operations) {

    public ResolvedInterface {
        inputs = Maps.copy(inputs);
        operations = Maps.copy(operations);
    }
}
