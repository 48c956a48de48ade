package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;

import java.util.List;

/**
 * A trigger of a policy or policy type as written (TOSCA 1.3 §3.6.22): the event it answers, when and on what it
 * applies, and the operations its action calls.
 */
public record TriggerDef(Name name, String description, Name event, YNode schedule, TargetFilter targetFilter,
                         Condition condition, List<CallOperation> actions, Location location) {

    public TriggerDef {
        actions = List.copyOf(actions);
    }

    /** The event filter: a node template or type, optionally one of its requirements or capabilities. */
    public record TargetFilter(Name node, Name requirement, Name capability, Location location) {
    }

    /** The condition, short (clauses only) or long (with how it is evaluated over time). */
    public record Condition(List<Clause> clauses, YNode period, Long evaluations, String method,
                            Location location) {

        public Condition {
            clauses = List.copyOf(clauses);
        }
    }

    /**
     * One condition clause: {@code and}, {@code or}, {@code not} or {@code assert} over {@code clauses}, or (with
     * no operator) an assertion that {@code attribute} meets every constraint.
     */
    public record Clause(String operator, Name attribute, List<Clause> clauses, List<ConstraintDef> constraints,
                         Location location) {

        public Clause {
            clauses = List.copyOf(clauses);
            constraints = List.copyOf(constraints);
        }
    }

    /** A call_operation activity: {@code INTERFACE.OPERATION} of each target, with inputs that override its own. */
    public record CallOperation(Name operation, YMap inputs, Location location) {

        public CallOperation {
            inputs = inputs == null ? YMap.empty(location) : inputs;
        }
    }
}
