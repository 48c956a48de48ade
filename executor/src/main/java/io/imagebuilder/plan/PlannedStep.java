package io.imagebuilder.plan;

import io.imagebuilder.util.Maps;

import java.util.Map;

/**
 * One operation to run: on the node itself, or on one of its relationships ({@code relationship} names the
 * requirement and {@code target} its target node). {@code inputs} are shown masked; run-time references stay
 * as function calls.
 */
public record PlannedStep(String node, String relationship, String target, String interfaceName, String operation,
                          String implementation, Long timeoutSeconds, Map<String, Object> inputs) {

    public PlannedStep {
        inputs = Maps.copy(inputs);
    }

    public String qualifiedOperation() {
        return interfaceName + "." + operation;
    }
}
