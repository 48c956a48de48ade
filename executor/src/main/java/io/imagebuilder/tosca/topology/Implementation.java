package io.imagebuilder.tosca.topology;

import java.util.List;

/**
 * What runs an operation: a file relative to the template that declares it (a playbook or script), or
 * {@code builtin:NAME} for work the executor does itself. {@code baseDirectory} is where relative files live.
 */
public record Implementation(String primary, List<String> dependencies, Long timeoutSeconds, String baseDirectory) {

    public static final String BUILTIN_PREFIX = "builtin:";

    public Implementation {
        dependencies = List.copyOf(dependencies);
    }

    public boolean isBuiltin() {
        return primary.startsWith(BUILTIN_PREFIX);
    }
}
