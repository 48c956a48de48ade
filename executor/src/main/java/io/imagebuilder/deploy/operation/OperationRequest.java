package io.imagebuilder.deploy.operation;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.tosca.topology.Implementation;
import io.imagebuilder.tosca.topology.Topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything one operation run needs. {@code inputs} are resolved plain values (String, Long, Double, Boolean,
 * null, List, Map) and may hold secrets: runners pass them through files of mode 0600 or standard input, never
 * argv or the environment of other processes, and delete those files afterwards.
 * {@code workDirectory} is private to this run and removed by the caller afterwards;
 * {@code output} gets every line the operation prints, already prefixed and with secrets masked.
 */
public record OperationRequest(String node, String operation, Implementation implementation,
                               Map<String, Object> inputs, HostConnection host, Path workDirectory,
                               LineSink output, Duration timeout, Cancellation cancellation,
                               Topology topology, Path nodeDirectory) {

    /**
     * For runners that need only the operation itself. Built-in operations also get the {@code topology} and
     * {@code nodeDirectory}, a private directory of the node that lasts across its operations (it is under the
     * deployment's state directory and removed by the operations that use it).
     */
    public OperationRequest(String node, String operation, Implementation implementation, Map<String, Object> inputs,
                            HostConnection host, Path workDirectory, LineSink output, Duration timeout,
                            Cancellation cancellation) {
        this(node, operation, implementation, inputs, host, workDirectory, output, timeout, cancellation, null, null);
    }

    public OperationRequest withCancellation(Cancellation other) {
        return new OperationRequest(node, operation, implementation, inputs, host, workDirectory, output, timeout, other,
                topology, nodeDirectory);
    }

    /** How messages name the work, e.g. "node \"web\", operation Standard.create". */
    public String describe() {
        return "node \"" + node + "\", operation " + operation;
    }
}
