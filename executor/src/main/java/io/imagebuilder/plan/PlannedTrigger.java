package io.imagebuilder.plan;

import java.util.List;

/**
 * A trigger that {@code notify} can run: the event that names it besides its own name, the condition it declares
 * (shown, not evaluated), its target nodes, and the operations it calls in order.
 */
public record PlannedTrigger(String name, String policy, String event, String condition, List<String> targets,
                             List<PlannedStep> calls) {

    public PlannedTrigger {
        targets = List.copyOf(targets);
        calls = List.copyOf(calls);
    }
}
