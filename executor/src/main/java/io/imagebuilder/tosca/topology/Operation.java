package io.imagebuilder.tosca.topology;

import io.imagebuilder.util.Maps;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YNode;

import java.util.List;
import java.util.Map;

/**
 * An operation of an interface with its implementation (null: nothing to run), its input values, and the attributes
 * its outputs are mapped to.
 */
public record Operation(String interfaceName, String name, Implementation implementation, Map<String, YNode> inputs,
                        List<AttributeMapping> outputs, Location location) {

    public Operation {
        inputs = Maps.copy(inputs);
        outputs = List.copyOf(outputs);
    }

    public String qualifiedName() {
        return interfaceName + "." + name;
    }

    public Operation withInputs(Map<String, YNode> resolved) {
        if (resolved == inputs) return this;
        return new Operation(interfaceName, name, implementation, resolved, outputs, location);
    }
}
