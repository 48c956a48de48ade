package io.imagebuilder.build;

import io.imagebuilder.build.params.BuildParams;
import io.imagebuilder.build.params.BuildParamsParser;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.types.ValueChecker;
import io.imagebuilder.yaml.YNode;

/**
 * Checks what the image definition types cannot say in TOSCA: that exactly one source mode is used, that every
 * image name, tag, platform and path is sound, and that there is a registry to push to with a password for its
 * user. Runs before anything is built, so bad build_params change nothing.
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
            YNode override = node.properties().get("registry_password");
            boolean hasOverride = override != null && !ValueChecker.isNull(override);
            if (registry != null && registry.credentials().username() != null
                    && registry.credentials().password() == null && !hasOverride) {
                problems.add(raw, "target.registry: user \"" + registry.credentials().username() + "\" has no "
                        + "password; give target.registry.password, or the registry_password input "
                        + "(image-builder build --registry-password-stdin)");
            }
        }
        problems.throwIfAny(PHASE);
    }
}
