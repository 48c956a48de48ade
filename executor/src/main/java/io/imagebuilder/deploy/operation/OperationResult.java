package io.imagebuilder.deploy.operation;

import java.util.Map;

/** What an operation produced: attributes to set on its node, and outputs for get_operation_output. */
public record OperationResult(Map<String, Object> attributes, Map<String, Object> outputs) {

    public static final OperationResult EMPTY = new OperationResult(Map.of(), Map.of());

    public OperationResult {
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }
}
