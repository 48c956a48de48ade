package io.imagebuilder.deploy;

import io.imagebuilder.tosca.topology.Implementation;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operations the executor carries out itself, named {@code builtin:NAME} in operation implementations. */
public final class BuiltinOperations implements OperationRunner {

    /** One built-in operation. */
    public interface Builtin {
        OperationResult run(OperationRequest request) throws OperationFailedException;
    }

    private final Map<String, Builtin> operations = new LinkedHashMap<>();

    public BuiltinOperations register(String name, Builtin operation) {
        operations.put(name, operation);
        return this;
    }

    public java.util.Set<String> names() {
        return operations.keySet();
    }

    @Override
    public boolean handles(String primary) {
        return primary.startsWith(Implementation.BUILTIN_PREFIX)
                && operations.containsKey(primary.substring(Implementation.BUILTIN_PREFIX.length()));
    }

    @Override
    public OperationResult run(OperationRequest request) throws OperationFailedException {
        String name = request.implementation().primary().substring(Implementation.BUILTIN_PREFIX.length());
        return operations.get(name).run(request);
    }
}
