package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Problems;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology phase: the relationships between nodes must form no cycle, since every relationship orders
 * its source after its target; and the SSH settings of Compute nodes must be usable (see {@link HostSettings}).
 */
public final class TopologyPhase {

    private final Problems problems;

    public TopologyPhase(Problems problems) {
        this.problems = problems;
    }

    public Topology run(Topology topology) {
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (String name : topology.nodes().keySet()) {
            visit(topology, name, state, new ArrayList<>());
        }
        HostSettings.check(topology, problems);
        return topology;
    }

    private void visit(Topology topology, String name, Map<String, Integer> state, List<Relationship> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) return;
        if (s != null) {
            reportCycle(name, path);
            return;
        }
        state.put(name, 1);
        for (Relationship r : topology.node(name).requirements()) {
            path.add(r);
            visit(topology, r.target(), state, path);
            path.remove(path.size() - 1);
        }
        state.put(name, 2);
    }

    private void reportCycle(String name, List<Relationship> path) {
        int start = 0;
        while (start < path.size() && !path.get(start).source().equals(name)) start++;
        List<Relationship> loop = path.subList(start, path.size());
        StringBuilder sb = new StringBuilder(name);
        for (Relationship r : loop) sb.append(" -[").append(r.requirement()).append("]-> ").append(r.target());
        problems.add(loop.get(0).location(), "dependency cycle: " + sb);
    }
}
