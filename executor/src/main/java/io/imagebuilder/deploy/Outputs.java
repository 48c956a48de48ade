package io.imagebuilder.deploy;

import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.tosca.function.Context;
import io.imagebuilder.tosca.function.Evaluator;
import io.imagebuilder.tosca.topology.Output;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** A deployment's outputs, evaluated against what its operations recorded; secrets masked. */
public final class Outputs {

    private Outputs() {
    }

    public static Map<String, Object> of(Topology topology, StateStore store) {
        Problems problems = new Problems();
        Evaluator evaluator = new Evaluator(topology, problems, new StateRuntimeValues(store));
        Redactor redactor = new Redactor(SecretValues.of(topology));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Output o : topology.outputs().values()) {
            YNode value = o.value() == null ? null : evaluator.resolve(o.value(), Context.TOPOLOGY);
            out.put(o.name(), redactor.redactValue(topology.secrets().masked(value)));
        }
        problems.throwIfAny("evaluating outputs");
        return out;
    }
}
