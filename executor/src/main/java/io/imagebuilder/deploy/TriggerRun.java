package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.OperationFailedException;
import java.util.List;

/** What a notify ran, in order, and the operation that failed (null: none did). */
public record TriggerRun(List<Ran> ran, OperationFailedException failure) {

    public TriggerRun {
        ran = List.copyOf(ran);
    }

    /** One operation that succeeded: the trigger that called it, on which node. */
    public record Ran(String trigger, String policy, String node, String operation) {
    }

    public boolean succeeded() {
        return failure == null;
    }
}
