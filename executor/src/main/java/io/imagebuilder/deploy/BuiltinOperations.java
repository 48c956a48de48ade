package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.tosca.topology.Implementation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Operations the executor carries out itself, named {@code builtin:NAME} in operation implementations. */
public final class BuiltinOperations implements OperationRunner {

    /** One built-in operation. */
    public interface Builtin {
        OperationResult run(OperationRequest request) throws OperationFailedException;
    }

    private final Map<String, Builtin> operations = new LinkedHashMap<>();

    public BuiltinOperations register(String name, Builtin operation) {
        operations.put(name, operation);
        return this;
    }

    public java.util.Set<String> names() {
        return operations.keySet();
    }

    @Override
    public boolean handles(String primary) {
        return primary.startsWith(Implementation.BUILTIN_PREFIX)
                && operations.containsKey(primary.substring(Implementation.BUILTIN_PREFIX.length()));
    }

    /** Runs the operation; one with a timeout is cancelled when it runs out, as a playbook would be. */
    @Override
    public OperationResult run(OperationRequest request) throws OperationFailedException {
        String name = request.implementation().primary().substring(Implementation.BUILTIN_PREFIX.length());
        Builtin operation = operations.get(name);
        if (request.timeout() == null) return operation.run(request);
        Cancellation limited = request.cancellation() == null ? new Cancellation() : request.cancellation().child();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "operation-timeout");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(() -> {
            timedOut.set(true);
            limited.cancel();
        }, request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return operation.run(request.withCancellation(limited));
        } catch (OperationFailedException e) {
            if (!timedOut.get()) throw e;
            throw OperationFailedException.timedOut(request, e.attributes());
        } finally {
            timer.shutdownNow();
            limited.detach();
        }
    }
}
