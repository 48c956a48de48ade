package io.imagebuilder.plan;

import java.util.List;

/** A node in deployment order: the wave it belongs to, the nodes it waits for, and its steps in order. */
public record PlannedNode(String name, String type, int wave, List<String> after, List<PlannedStep> steps) {

    public PlannedNode {
        after = List.copyOf(after);
        steps = List.copyOf(steps);
    }
}
