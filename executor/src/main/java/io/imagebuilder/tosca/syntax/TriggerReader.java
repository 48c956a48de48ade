package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code triggers} of policies and policy types (TOSCA 1.3 §3.6.22). */
final class TriggerReader {

    private static final Set<String> TRIGGER_KEYS = Set.of("description", "event", "schedule", "target_filter",
            "condition", "action");
    private static final Set<String> FILTER_KEYS = Set.of("node", "requirement", "capability");
    private static final Set<String> CONDITION_KEYS = Set.of("constraint", "period", "evaluations", "method");
    private static final Set<String> CALL_KEYS = Set.of("operation", "inputs");
    private static final Set<String> LOGICAL = Set.of("and", "or", "not", "assert");
    /** Activities TOSCA defines that a trigger here cannot carry out: they belong to workflows or node states. */
    private static final Set<String> OTHER_ACTIVITIES = Set.of("delegate", "set_state", "inline");

    private final Problems problems;
    private final SyntaxReader syntax;

    TriggerReader(Problems problems, SyntaxReader syntax) {
        this.problems = problems;
        this.syntax = syntax;
    }

    Map<String, TriggerDef> triggers(YMap map, String owner) {
        Map<String, TriggerDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            TriggerDef t = trigger(Name.of(name, map.keyLocation(name)), node, owner);
            if (t != null) out.put(name, t);
        });
        return out;
    }

    private TriggerDef trigger(Name name, YNode node, String owner) {
        String what = "trigger \"" + name.value() + "\" of " + owner;
        Fields f = Fields.of(node, what, TRIGGER_KEYS, problems);
        if (f == null) return null;
        Name event = event(f, what);
        if (f.node("event") == null) problems.add(name.location(), "the " + what + " has no \"event\"");
        YNode schedule = f.node("schedule");
        if (schedule != null) f.mapOf("schedule"); // its fields are checked as a tosca.datatypes.TimeInterval
        return new TriggerDef(name, f.string("description"), event, schedule, targetFilter(f.node("target_filter"),
                what), condition(f.node("condition"), what), actions(f, what), node.location());
    }

    /** {@code event: name}, or the extended {@code event: {type: name}}. */
    private Name event(Fields f, String what) {
        YNode node = f.node("event");
        if (node instanceof YMap) {
            Fields ef = Fields.of(node, "the event of " + what, Set.of("type"), problems);
            Name type = ef == null ? null : ef.name("type");
            if (ef != null && type == null) problems.add(node, "the event of " + what + " has no \"type\"");
            return type;
        }
        return f.name("event");
    }

    private TriggerDef.TargetFilter targetFilter(YNode node, String what) {
        if (node == null) return null;
        Fields f = Fields.of(node, "the target_filter of " + what, FILTER_KEYS, problems);
        if (f == null) return null;
        Name target = f.name("node");
        if (target == null) problems.add(node, "the target_filter of " + what + " has no \"node\"");
        return new TriggerDef.TargetFilter(target, f.name("requirement"), f.name("capability"), node.location());
    }

    /** A list of clauses or one clause (short form), or a map with {@code constraint} (long form). */
    private TriggerDef.Condition condition(YNode node, String what) {
        if (node == null) return null;
        String where = "the condition of " + what;
        if (node instanceof YMap m && m.keys().stream().anyMatch(CONDITION_KEYS::contains)) {
            Fields f = Fields.of(node, where, CONDITION_KEYS, problems);
            YNode constraint = f.node("constraint");
            if (constraint == null) problems.add(node, where + " has no \"constraint\"");
            Long evaluations = f.integer("evaluations");
            if (evaluations != null && evaluations < 1) {
                problems.add(f.node("evaluations"), "\"evaluations\" in " + where + " must be at least 1, got "
                        + evaluations);
            }
            return new TriggerDef.Condition(constraint == null ? List.of() : clauses(constraint, where),
                    f.node("period"), evaluations, f.string("method"), node.location());
        }
        return new TriggerDef.Condition(clauses(node, where), null, null, null, node.location());
    }

    private List<TriggerDef.Clause> clauses(YNode node, String where) {
        List<TriggerDef.Clause> out = new ArrayList<>();
        List<YNode> items = node instanceof YSeq seq ? seq.items() : List.of(node);
        for (YNode item : items) {
            TriggerDef.Clause c = clause(item, where);
            if (c != null) out.add(c);
        }
        return out;
    }

    private TriggerDef.Clause clause(YNode node, String where) {
        if (!(node instanceof YMap m) || m.size() != 1) {
            problems.add(node, "expected a condition clause in " + where + " such as {and: [...]}, {or: [...]}, "
                    + "{not: [...]} or {attribute_name: [{greater_than: 1}]}, got " + node.describe());
            return null;
        }
        String key = m.keys().iterator().next();
        YNode value = m.get(key);
        if (LOGICAL.contains(key)) {
            if (!(value instanceof YSeq)) {
                problems.add(value, "expected a list of clauses for \"" + key + "\" in " + where + ", got "
                        + value.describe());
                return null;
            }
            return new TriggerDef.Clause(key, null, clauses(value, where), List.of(), m.keyLocation(key));
        }
        if (!(value instanceof YSeq seq)) {
            problems.add(value, "expected a list of constraint clauses for attribute \"" + key + "\" in " + where
                    + ", such as [{greater_than: 1}], got " + value.describe());
            return null;
        }
        return new TriggerDef.Clause(null, Name.of(key, m.keyLocation(key)), List.of(), syntax.constraints(seq),
                m.keyLocation(key));
    }

    private List<TriggerDef.CallOperation> actions(Fields f, String what) {
        List<TriggerDef.CallOperation> out = new ArrayList<>();
        YSeq seq = f.listOf("action");
        if (seq == null) {
            if (f.node("action") == null) problems.add(f.location(), "the " + what + " has no \"action\"");
            return out;
        }
        for (YNode item : seq.items()) {
            if (!(item instanceof YMap m) || m.size() != 1) {
                problems.add(item, "expected an activity such as {call_operation: interface.operation} in the action"
                        + " of " + what + ", got " + item.describe());
                continue;
            }
            String activity = m.keys().iterator().next();
            if (OTHER_ACTIVITIES.contains(activity)) {
                problems.add(m.keyLocation(activity), "the activity \"" + activity + "\" is not supported in the "
                        + "action of " + what + "; a trigger's action can only call_operation");
            } else if (!activity.equals("call_operation")) {
                problems.add(m.keyLocation(activity), "unknown activity \"" + activity + "\" in the action of " + what
                        + "; expected call_operation");
            } else {
                TriggerDef.CallOperation call = call(m.get(activity), what);
                if (call != null) out.add(call);
            }
        }
        return out;
    }

    /** {@code call_operation: interface.operation}, or {@code {operation: interface.operation, inputs: {...}}}. */
    private TriggerDef.CallOperation call(YNode node, String what) {
        if (node instanceof YScalar s && s.value() instanceof String op) {
            return new TriggerDef.CallOperation(Name.of(op, node.location()), null, node.location());
        }
        Fields f = Fields.of(node, "call_operation in " + what, CALL_KEYS, problems);
        if (f == null) return null;
        Name op = f.name("operation");
        if (op == null) {
            if (f.node("operation") == null) problems.add(node, "call_operation in " + what + " has no \"operation\"");
            return null;
        }
        return new TriggerDef.CallOperation(op, f.mapOf("inputs"), node.location());
    }
}
