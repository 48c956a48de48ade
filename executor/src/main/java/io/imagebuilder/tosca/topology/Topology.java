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
 * {@code unusedRelationships} are the relationship templates no requirement uses, by name: functions may still read
 * them. {@code secrets} tells which values must never be shown.
 */
public record Topology(Path template, String templateName, Map<String, Input> inputs, Map<String, Node> nodes,
                       Map<String, Relationship> unusedRelationships, Map<String, Output> outputs, List<Group> groups, List<Group> policies, Secrets secrets) {

    public Topology {
        inputs = Maps.copy(inputs);
        nodes = Maps.copy(nodes);
        unusedRelationships = Maps.copy(unusedRelationships);
        outputs = Maps.copy(outputs);
        groups = List.copyOf(groups);
        policies = List.copyOf(policies);
    }

    public Node node(String name) {
        return nodes.get(name);
    }

    public boolean hasRelationshipTemplates() {
        return !unusedRelationships.isEmpty() || nodes.values().stream()
                .anyMatch(n -> n.requirements().stream().anyMatch(r -> r.template() != null));
    }

    /** The relationships made from relationship template {@code name}: those requirements use, or the unused one. */
    public List<Relationship> relationshipsOf(String name) {
        List<Relationship> out = new java.util.ArrayList<>();
        for (Node n : nodes.values()) {
            for (Relationship r : n.requirements()) {
                if (name.equals(r.template())) out.add(r);
            }
        }
        Relationship unused = unusedRelationships.get(name);
        if (unused != null) out.add(unused);
        return out;
    }
}
