package io.imagebuilder.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic deployment plan. Nodes come in dependency order; nodes of the same wave do not depend on
 * each other and may run at the same time. {@code triggers} run only when notify names them.
 */
public record Plan(String template, List<PlannedNode> nodes, List<PlannedTrigger> triggers) {

    public Plan {
        nodes = List.copyOf(nodes);
        triggers = List.copyOf(triggers);
    }

    public int waveCount() {
        return nodes.stream().mapToInt(PlannedNode::wave).max().orElse(0);
    }

    /** One pass over the nodes: a chain of n nodes has n waves, and a pass per wave made printing it quadratic. */
    public List<List<PlannedNode>> waves() {
        List<List<PlannedNode>> out = new ArrayList<>();
        for (int w = waveCount(); w > 0; w--) out.add(new ArrayList<>());
        for (PlannedNode n : nodes) out.get(n.wave() - 1).add(n);
        out.replaceAll(List::copyOf);
        return out;
    }
}
