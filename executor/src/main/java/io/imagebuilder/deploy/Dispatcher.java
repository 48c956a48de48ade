package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.OperationRunner;
import java.util.List;

/** Picks the runner for an operation implementation. */
public final class Dispatcher {

    private final List<OperationRunner> runners;

    public Dispatcher(List<OperationRunner> runners) {
        this.runners = List.copyOf(runners);
    }

    /** Null when no runner handles it. */
    public OperationRunner runnerFor(String primary) {
        for (OperationRunner r : runners) {
            if (r.handles(primary)) return r;
        }
        return null;
    }
}
