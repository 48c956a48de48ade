package io.imagebuilder.imagenode;

import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YNode;

/**
 * Checks what the image definition types cannot say in TOSCA: that exactly one source mode is used, that every
 * image name, tag, platform and path is sound, and that there is a registry to push to. Runs before anything
 * is built, so bad build_params change nothing. (A registry password may come later, from a separate inputs
 * file; its absence is reported by the first operation, before any work.)
 */
public final class BuildChecks {

    public static final String IMAGE_DEFINITION = "imagebuilder.nodes.ImageDefinition";
    public static final String PHASE = "checking build parameters";

    private BuildChecks() {
    }

    public static void check(Topology topology) {
        Problems problems = new Problems();
        for (Node node : topology.nodes().values()) {
            if (!node.type().derivesFrom(IMAGE_DEFINITION)) continue;
            YNode raw = node.properties().get("build_params");
            if (raw == null) continue;
            BuildParams params = BuildParamsParser.parse(raw, problems);
            if (params == null) continue;
            boolean registryNode = node.requirements().stream().anyMatch(r -> r.requirement().equals("registry"));
            var registry = params.target().registry();
            if (registry == null && !registryNode) {
                problems.add(raw, "target.registry: there is no registry to push to; give target.registry in "
                        + "build_params or connect node \"" + node.name() + "\" to a registry node");
            }
        }
        problems.throwIfAny(PHASE);
    }
}
