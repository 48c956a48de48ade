package io.imagebuilder.deploy;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.tosca.topology.Implementation;

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
                               LineSink output, Duration timeout, Cancellation cancellation) {

    /** How messages name the work, e.g. "node \"web\", operation Standard.create". */
    public String describe() {
        return "node \"" + node + "\", operation " + operation;
    }
}
