package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.tosca.types.ResolvedType;

import java.util.Map;

public record Interface(String name, ResolvedType type, Map<String, Operation> operations) {

    public Interface {
        operations = Maps.copy(operations);
    }
}
