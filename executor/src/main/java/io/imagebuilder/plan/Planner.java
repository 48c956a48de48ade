package io.imagebuilder.plan;

import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Secrets;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.topology.Trigger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a topology for deployment. A node follows every node its requirements point at; among nodes that are
 * ready at the same time, template order decides, so the same template always gives the same plan.
 */
public final class Planner {

    public Plan deployPlan(Topology topology) {
        Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (Node n : topology.nodes().values()) {
            Set<String> deps = new LinkedHashSet<>();
            for (Relationship r : n.requirements()) deps.add(r.target());
            dependsOn.put(n.name(), deps);
            for (String d : deps) dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(n.name());
        }
        Map<String, Integer> waves = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        dependsOn.forEach((n, deps) -> {
            waiting.put(n, deps.size());
            if (deps.isEmpty()) ready.add(n);
        });
        List<PlannedNode> ordered = new ArrayList<>();
        while (!ready.isEmpty()) {
            String name = ready.poll();
            int wave = 1;
            for (String d : dependsOn.get(name)) wave = Math.max(wave, waves.get(d) + 1);
            waves.put(name, wave);
            ordered.add(plannedNode(topology, topology.node(name), wave, dependsOn.get(name)));
            for (String dependent : dependents.getOrDefault(name, List.of())) {
                if (waiting.merge(dependent, -1, Integer::sum) == 0) ready.add(dependent);
            }
        }
        // within a wave, template order (the order nodes became ready in depends on their dependencies); positions
        // looked up, not searched for, as a sort compares each node many times
        Map<String, Integer> templateOrder = new HashMap<>();
        for (String name : topology.nodes().keySet()) templateOrder.put(name, templateOrder.size());
        ordered.sort(java.util.Comparator.comparingInt(PlannedNode::wave)
                .thenComparingInt(n -> templateOrder.get(n.name())));
        return new Plan(topology.templateName(), ordered, triggers(topology));
    }

    private static List<PlannedTrigger> triggers(Topology topology) {
        List<PlannedTrigger> out = new ArrayList<>();
        for (Trigger t : TriggerCalls.all(topology)) {
            List<PlannedStep> calls = new ArrayList<>();
            for (TriggerCalls.Call c : TriggerCalls.of(topology, t)) {
                calls.add(step(c.node(), null, null, c.operation(), topology.secrets()));
            }
            out.add(new PlannedTrigger(t.name(), t.policy(), t.event(), t.condition(), t.targets(), calls));
        }
        return out;
    }

    private static PlannedNode plannedNode(Topology topology, Node node, int wave, Set<String> after) {
        List<PlannedStep> steps = new ArrayList<>();
        for (LifecycleStep s : LifecycleSteps.deploy(node)) {
            Relationship r = s.relationship();
            steps.add(step(node.name(), r == null ? null : r.requirement(), r == null ? null : r.target(),
                    s.operation(), topology.secrets()));
        }
        return new PlannedNode(node.name(), node.type().name(), wave, new ArrayList<>(after), steps);
    }

    private static PlannedStep step(String node, String relationship, String target, Operation op, Secrets secrets) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        op.inputs().forEach((k, v) -> inputs.put(k, secrets.masked(k, v)));
        return new PlannedStep(node, relationship, target, op.interfaceName(), op.name(),
                op.implementation().primary(), op.implementation().timeoutSeconds(), inputs);
    }
}
