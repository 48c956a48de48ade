package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated topology: inputs bound, every node typed and linked, static functions resolved.
 * Values that depend on run time (get_attribute, get_operation_output) are still function calls.
 * {@code secrets} tells which values must never be shown.
 */
public record Topology(Path template, String templateName, Map<String, Input> inputs, Map<String, Node> nodes,
                       Map<String, Output> outputs, List<Group> groups, List<Group> policies, Secrets secrets) {

    public Topology {
        inputs = Maps.copy(inputs);
        nodes = Maps.copy(nodes);
        outputs = Maps.copy(outputs);
        groups = List.copyOf(groups);
        policies = List.copyOf(policies);
    }

    public Node node(String name) {
        return nodes.get(name);
    }
}
