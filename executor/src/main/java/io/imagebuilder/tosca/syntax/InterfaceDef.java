package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.util.Map;

/** An interface definition (in a type) or assignment (in a template); {@code type} is null in assignments. */
public record InterfaceDef(Name name, Name type, Map<String, InputDef> inputs, Map<String, OperationDef> operations,
                           Location location) {

    public InterfaceDef {
        inputs = Maps.copy(inputs);
        operations = Maps.copy(operations);
    }
}
