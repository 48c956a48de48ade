package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;

import java.util.List;

/** How an operation is carried out: a primary artifact (playbook, script, or builtin:name), its dependencies, a timeout in seconds. */
public record ImplementationDef(Name primary, List<Name> dependencies, Long timeoutSeconds, String operationHost,
                                Location location) {

    public ImplementationDef {
        dependencies = List.copyOf(dependencies);
    }
}
