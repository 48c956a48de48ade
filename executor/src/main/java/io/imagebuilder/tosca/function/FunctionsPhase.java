package io.imagebuilder.tosca.function;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.AttributeMapping;
import io.imagebuilder.tosca.topology.Capability;
import io.imagebuilder.tosca.topology.Group;
import io.imagebuilder.tosca.topology.Interface;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Output;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.topology.Trigger;
import io.imagebuilder.tosca.types.ResolvedProperty;
import io.imagebuilder.tosca.types.ValueChecker;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions phase: resolves every static function in properties, operation inputs and outputs, checks the
 * values they produce against the declared types, and checks that run-time references point at something real.
 */
public final class FunctionsPhase {

    private final Problems problems;

    public FunctionsPhase(Problems problems) {
        this.problems = problems;
    }

    public Topology run(Topology topology) {
        Evaluator evaluator = new Evaluator(topology, problems, RuntimeValues.NONE);
        ValueChecker checker = new ValueChecker(problems, topology.secrets()::mark);
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Node node : topology.nodes().values()) {
            Context self = Context.ofNode(node.name());
            Map<String, YNode> properties = new LinkedHashMap<>();
            node.properties().forEach((k, raw) -> {
                YNode value = evaluator.nodeProperty(node, k, raw.location());
                if (value != raw) recheck(checker, value, node.type().properties().get(k),
                        "node \"" + node.name() + "\" property " + k);
                properties.put(k, value);
            });
            Map<String, YNode> attributes = resolveAll(evaluator, node.attributes(), self);
            Map<String, Capability> capabilities = new LinkedHashMap<>();
            node.capabilities().forEach((k, cap) -> capabilities.put(k,
                    cap.withProperties(resolveAll(evaluator, cap.properties(), self))));
            List<Relationship> requirements = new ArrayList<>();
            for (Relationship r : node.requirements()) {
                Context rc = Context.ofRelationship(r);
                requirements.add(r.with(resolveAll(evaluator, r.properties(), rc),
                        interfaces(evaluator, r.interfaces(), rc)));
            }
            nodes.put(node.name(), node.with(properties, attributes, capabilities, requirements,
                    interfaces(evaluator, node.interfaces(), self)));
        }
        Map<String, Output> outputs = new LinkedHashMap<>();
        topology.outputs().forEach((k, o) -> outputs.put(k, new Output(o.name(), o.description(),
                o.value() == null ? null : evaluator.resolve(o.value(), Context.TOPOLOGY), o.location())));
        List<Group> policies = new ArrayList<>();
        for (Group policy : topology.policies()) policies.add(policy.withTriggers(triggers(evaluator, policy)));
        return new Topology(topology.template(), topology.templateName(), topology.inputs(), nodes,
                topology.unusedRelationships(), outputs,
                topology.groups(), policies, topology.secrets());
    }

    /** An action's inputs are the policy's (SELF is the policy); what only run time knows stays a call. */
    private static List<Trigger> triggers(Evaluator evaluator, Group policy) {
        Context ctx = Context.ofPolicy(policy.name());
        List<Trigger> out = new ArrayList<>();
        for (Trigger t : policy.triggers()) {
            List<Trigger.Action> actions = new ArrayList<>();
            for (Trigger.Action a : t.actions()) actions.add(a.withInputs(resolveAll(evaluator, a.inputs(), ctx)));
            out.add(t.withActions(actions));
        }
        return out;
    }

    private void recheck(ValueChecker checker, YNode value, ResolvedProperty def, String path) {
        if (def == null || Evaluator.isDeferred(value)) return;
        if (ValueChecker.isNull(value)) {
            if (def.required()) {
                problems.add(value, path + ": required, but the value it is given is not set");
            }
            return;
        }
        if (def.secret()) checker.checkSecret(value, def.type(), def.constraints(), path);
        else checker.check(value, def.type(), def.constraints(), path);
    }

    /** The same map when no value changes: most operations have no inputs, and most values hold no functions. */
    private static Map<String, YNode> resolveAll(Evaluator evaluator, Map<String, YNode> values, Context ctx) {
        if (values.isEmpty()) return values;
        LinkedHashMap<String, YNode> out = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, YNode> e : values.entrySet()) {
            YNode resolved = evaluator.resolve(e.getValue(), ctx);
            changed |= resolved != e.getValue();
            out.put(e.getKey(), resolved);
        }
        return changed ? Maps.own(out) : values;
    }

    /** An output mapped to an attribute must name one that get_attribute could read in the same place. */
    private static void checkMappings(Evaluator evaluator, Operation op, Context ctx) {
        for (AttributeMapping m : op.outputs()) {
            Location at = m.location();
            YSeq args = new YSeq(List.of(YScalar.of(m.entity(), at), YScalar.of(m.attribute(), at)), at);
            evaluator.resolve(new YMap(Map.of("get_attribute", args), Map.of("get_attribute", at), at), ctx);
        }
    }

    private static Map<String, Interface> interfaces(Evaluator evaluator, Map<String, Interface> interfaces,
                                                     Context ctx) {
        LinkedHashMap<String, Interface> out = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Interface> i : interfaces.entrySet()) {
            Interface iface = i.getValue();
            LinkedHashMap<String, Operation> ops = new LinkedHashMap<>();
            boolean opsChanged = false;
            for (Map.Entry<String, Operation> o : iface.operations().entrySet()) {
                checkMappings(evaluator, o.getValue(), ctx);
                Operation resolved = o.getValue().withInputs(resolveAll(evaluator, o.getValue().inputs(), ctx));
                opsChanged |= resolved != o.getValue();
                ops.put(o.getKey(), resolved);
            }
            changed |= opsChanged;
            out.put(i.getKey(), opsChanged ? new Interface(iface.name(), iface.type(), Maps.own(ops)) : iface);
        }
        return changed ? Maps.own(out) : interfaces;
    }
}
