package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.tosca.syntax.GroupDef;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.TopologyTemplate;
import io.imagebuilder.tosca.syntax.TriggerDef;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.types.ResolvedProperty;
import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.tosca.types.Scope;
import io.imagebuilder.tosca.types.TypeResolver;
import io.imagebuilder.tosca.types.ValueChecker;
import io.imagebuilder.tosca.types.ValueType;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the triggers of one policy against the rendered nodes: which nodes they act on, that the attributes their
 * conditions test exist there, and that every operation their action calls exists, with something to run, on each.
 */
final class PolicyTriggers {

    private final Problems problems;
    private final TypeResolver types;
    private final ValueChecker checker;
    private final Scope scope;
    private final Map<String, Node> nodes;
    private final TopologyTemplate template;

    PolicyTriggers(Problems problems, TypeResolver types, ValueChecker checker, Scope scope, Map<String, Node> nodes,
                   TopologyTemplate template) {
        this.problems = problems;
        this.types = types;
        this.checker = checker;
        this.scope = scope;
        this.nodes = nodes;
        this.template = template;
    }

    List<Trigger> of(GroupDef policy, ResolvedType type) {
        Map<String, TriggerDef> defs = new LinkedHashMap<>();
        List<ResolvedType> chain = new ArrayList<>();
        for (ResolvedType t = type; t != null; t = t.parent()) chain.add(0, t);
        chain.forEach(t -> defs.putAll(t.definition().triggers())); // a derived type's trigger replaces its parent's
        defs.putAll(policy.triggers());
        if (defs.isEmpty()) return List.of();
        String owner = "policy \"" + policy.name().value() + "\"";
        List<String> targets = targets(policy, type);
        if (targets.isEmpty()) {
            problems.add(policy.name().location(), owner + " has triggers but no target nodes; name them in "
                    + "\"targets\"" + (typeTargets(type).isEmpty() ? "" : " (no node is of type "
                    + typeTargets(type).stream().map(ResolvedType::name).collect(Collectors.joining(" or ")) + ")"));
            return List.of();
        }
        List<Trigger> out = new ArrayList<>();
        defs.values().forEach(def -> out.add(trigger(policy.name().value(), def, targets)));
        return out;
    }

    /**
     * The nodes a policy applies to: those it names (a group stands for its members), else every node of a type
     * its policy type targets, as xOpera does for policies that name none.
     */
    private List<String> targets(GroupDef policy, ResolvedType type) {
        Set<String> out = new LinkedHashSet<>();
        if (!policy.members().isEmpty()) {
            for (Name member : policy.members()) {
                if (nodes.containsKey(member.value())) out.add(member.value());
                var group = template.groups().get(member.value());
                if (group != null) group.members().forEach(m -> {
                    if (nodes.containsKey(m.value())) out.add(m.value());
                });
            }
            return inTemplateOrder(out);
        }
        List<ResolvedType> allowed = typeTargets(type);
        nodes.values().forEach(n -> {
            if (allowed.stream().anyMatch(n.type()::derivesFrom)) out.add(n.name());
        });
        template.groups().values().forEach(g -> {
            ResolvedType groupType = g.type() == null ? null : scope.lookup(TypeKind.GROUP, g.type().value());
            if (groupType != null && allowed.stream().anyMatch(groupType::derivesFrom)) {
                g.members().forEach(m -> {
                    if (nodes.containsKey(m.value())) out.add(m.value());
                });
            }
        });
        return inTemplateOrder(out);
    }

    /** Triggers act on their targets in the order the template lists the nodes, whatever order named them. */
    private List<String> inTemplateOrder(Set<String> targets) {
        return nodes.keySet().stream().filter(targets::contains).toList();
    }

    /** The node and group types the nearest policy type that names any allows. */
    private List<ResolvedType> typeTargets(ResolvedType type) {
        for (ResolvedType t = type; t != null; t = t.parent()) {
            if (t.definition().targets().isEmpty()) continue;
            List<ResolvedType> out = new ArrayList<>();
            for (Name n : t.definition().targets()) {
                ResolvedType target = scope.lookup(TypeKind.NODE, n.value());
                if (target == null) target = scope.lookup(TypeKind.GROUP, n.value());
                if (target != null) out.add(target);
            }
            return out;
        }
        return List.of();
    }

    private Trigger trigger(String policy, TriggerDef def, List<String> policyTargets) {
        String what = "trigger \"" + def.name().value() + "\" of policy \"" + policy + "\"";
        if (def.schedule() != null) checkValue(def.schedule(), "tosca.datatypes.TimeInterval", "schedule of " + what);
        List<String> targets = filter(def.targetFilter(), policyTargets, what);
        String condition = null;
        if (def.condition() != null) {
            if (def.condition().period() != null) {
                checkValue(def.condition().period(), "scalar-unit.time", "period of the condition of " + what);
            }
            Set<String> checked = new HashSet<>();
            for (String target : targets) {
                // one check per type: nodes of the same type would repeat the same problems
                if (checked.add(nodes.get(target).type().name())) checkClauses(def.condition().clauses(), target);
            }
            condition = describe(def.condition());
        }
        List<Trigger.Action> actions = new ArrayList<>();
        for (TriggerDef.CallOperation call : def.actions()) {
            Trigger.Action action = action(call, targets, what);
            if (action != null) actions.add(action);
        }
        return new Trigger(def.name().value(), policy, def.description(),
                def.event() == null ? null : def.event().value(), condition, targets, actions, def.location());
    }

    private void checkValue(YNode value, String typeName, String path) {
        ValueType type = types.valueType(Name.of(typeName, value.location()), null, null, scope);
        if (type != null) checker.check(value, type, List.of(), path);
    }

    /** The policy's targets that the filter's node (a template or a type) selects. */
    private List<String> filter(TriggerDef.TargetFilter filter, List<String> targets, String what) {
        if (filter == null || filter.node() == null) return targets;
        String name = filter.node().value();
        List<String> out;
        if (nodes.containsKey(name)) {
            if (!targets.contains(name)) {
                problems.add(filter.node().location(), "the target_filter of " + what + " names node \"" + name
                        + "\", which is not a target of the policy; its targets are " + String.join(", ", targets));
                return List.of();
            }
            out = List.of(name);
        } else {
            ResolvedType type = scope.lookup(TypeKind.NODE, name);
            if (type == null) {
                problems.add(filter.node().location(), "the target_filter of " + what + " names \"" + name
                        + "\", which is neither a node template nor a node type"
                        + Suggestions.didYouMean(name, nodes.keySet()));
                return List.of();
            }
            out = targets.stream().filter(t -> nodes.get(t).type().derivesFrom(type)).toList();
            if (out.isEmpty()) {
                problems.add(filter.node().location(), "the target_filter of " + what + " selects nodes of type "
                        + type.name() + ", but no target of the policy is one; its targets are "
                        + String.join(", ", targets));
                return List.of();
            }
        }
        for (String target : out) {
            ResolvedType type = nodes.get(target).type();
            if (filter.requirement() != null && !type.requirements().containsKey(filter.requirement().value())) {
                problems.add(filter.requirement().location(), "the target_filter of " + what + ": node \"" + target
                        + "\" (" + type.name() + ") has no requirement \"" + filter.requirement().value() + "\""
                        + existing(filter.requirement().value(), type.requirements().keySet()));
            }
            if (filter.capability() != null && !type.capabilities().containsKey(filter.capability().value())) {
                problems.add(filter.capability().location(), "the target_filter of " + what + ": node \"" + target
                        + "\" (" + type.name() + ") has no capability \"" + filter.capability().value() + "\""
                        + existing(filter.capability().value(), type.capabilities().keySet()));
            }
        }
        return out;
    }

    /** Every attribute an assertion tests must exist on the target, and its constraints must fit its type. */
    private void checkClauses(List<TriggerDef.Clause> clauses, String target) {
        Node node = nodes.get(target);
        for (TriggerDef.Clause c : clauses) {
            if (c.attribute() == null) {
                checkClauses(c.clauses(), target);
                continue;
            }
            ResolvedProperty attribute = node.type().attributes().get(c.attribute().value());
            if (attribute == null) {
                problems.add(c.attribute().location(), "condition: node \"" + target + "\" (" + node.type().name()
                        + ") has no attribute \"" + c.attribute().value() + "\""
                        + existing(c.attribute().value(), node.type().attributes().keySet()));
            } else {
                types.constraints(c.constraints(), attribute.type());
            }
        }
    }

    /**
     * {@code INTERFACE.OPERATION}, checked on every target: declared on its type or template, or defined by the
     * interface type it declares, and with an implementation.
     */
    private Trigger.Action action(TriggerDef.CallOperation call, List<String> targets, String what) {
        String text = call.operation().value();
        int dot = text.lastIndexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            problems.add(call.operation().location(), "call_operation in " + what + ": expected "
                    + "INTERFACE.OPERATION (an interface of the target nodes and one of its operations), got \""
                    + text + "\"");
            return null;
        }
        String interfaceName = text.substring(0, dot);
        String operationName = text.substring(dot + 1);
        boolean ok = true;
        for (String target : targets) {
            Node node = nodes.get(target);
            String at = "call_operation \"" + text + "\" in " + what + ": node \"" + target + "\" ("
                    + node.type().name() + ")";
            Interface iface = node.interfaces().get(interfaceName);
            Operation op = iface == null ? null : iface.operations().get(operationName);
            if (iface == null) {
                problems.add(call.operation().location(), at + " has no interface \"" + interfaceName + "\""
                        + existing(interfaceName, node.interfaces().keySet()));
                ok = false;
            } else if (op == null) {
                problems.add(call.operation().location(), at + ": interface \"" + interfaceName
                        + "\" has no operation \"" + operationName + "\""
                        + existing(operationName, iface.operations().keySet()));
                ok = false;
            } else if (op.implementation() == null) {
                problems.add(call.operation().location(), at + ": operation " + op.qualifiedName() + " has no "
                        + "implementation, so there is nothing to run");
                ok = false;
            }
        }
        if (!ok) return null;
        Map<String, YNode> inputs = new LinkedHashMap<>(call.inputs().entries());
        return new Trigger.Action(interfaceName, operationName, inputs, call.location());
    }

    /** "did you mean" when a name is close, else the names there are. */
    private static String existing(String wrong, Collection<String> names) {
        String dym = Suggestions.didYouMean(wrong, names);
        if (!dym.isEmpty()) return dym;
        return names.isEmpty() ? "; it has none" : "; it has " + String.join(", ", names);
    }

    /** The condition as one line for the plan, e.g. {@code not(and(load > 42)) over 60 sec, 2 evaluations}. */
    private static String describe(TriggerDef.Condition condition) {
        StringBuilder sb = new StringBuilder(clauses(condition.clauses()));
        if (condition.period() != null) sb.append(", period ").append(condition.period().toPlain());
        if (condition.evaluations() != null) sb.append(", ").append(condition.evaluations()).append(" evaluations");
        if (condition.method() != null) sb.append(", method ").append(condition.method());
        return sb.toString();
    }

    private static String clauses(List<TriggerDef.Clause> clauses) {
        return clauses.stream().map(PolicyTriggers::clause).collect(Collectors.joining(", "));
    }

    private static String clause(TriggerDef.Clause c) {
        if (c.attribute() == null) return c.operator() + "(" + clauses(c.clauses()) + ")";
        return c.attribute().value() + " " + c.constraints().stream()
                .map(k -> k.operator() + " " + k.argument().toPlain())
                .collect(Collectors.joining(" and "));
    }
}
