package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.yaml.Location;
import io.imagebuilder.yaml.YNode;

import java.util.Map;

/** An operation of an interface with its implementation (null: nothing to run) and its input values. */
public record Operation(String interfaceName, String name, Implementation implementation, Map<String, YNode> inputs,
                        Location location) {

    public Operation {
        inputs = Maps.copy(inputs);
    }

    public String qualifiedName() {
        return interfaceName + "." + name;
    }

    public Operation withInputs(Map<String, YNode> resolved) {
        if (resolved == inputs) return this;
        return new Operation(interfaceName, name, implementation, resolved, location);
    }
}
