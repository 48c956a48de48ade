package io.imagebuilder.imagenode;

import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.imagebuild.params.BuildSecret;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Checks what the image definition types cannot say in TOSCA: that exactly one source mode is used, that every
 * image name, tag, platform and path is sound, and that there is a registry to push to. Runs before anything
 * is built, so bad build_params change nothing; secrets taken from this machine's files and environment must be
 * there. (A registry password may come later, from a separate inputs file; its absence is reported by the first
 * operation, before any work.)
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
            localSecrets(raw, params, System::getenv, problems);
            boolean registryNode = node.requirements().stream().anyMatch(r -> r.requirement().equals("registry"));
            var registry = params.target().registry();
            if (registry == null && !registryNode) {
                problems.add(raw, "target.registry: there is no registry to push to; give target.registry in "
                        + "build_params or connect node \"" + node.name() + "\" to a registry node");
            }
        }
        problems.throwIfAny(PHASE);
    }

    /**
     * Secrets read from this machine's files and environment, and the proxy CA file, must be there: the build reads
     * them only when it starts, after the source is fetched.
     */
    static void localSecrets(YNode raw, BuildParams params, UnaryOperator<String> environment, Problems problems) {
        for (BuildSecret secret : params.secrets()) {
            YNode at = raw instanceof YMap m && m.get("secrets") instanceof YMap all
                    && all.get(secret.id()) instanceof YMap one ? one.get(secret.from().field()) : raw;
            if (secret.from() == BuildSecret.From.ENV && environment.apply(secret.reference()) == null) {
                problems.add(at, secret.path() + ": the environment variable " + secret.reference() + " is not set");
            } else if (secret.from() == BuildSecret.From.FILE) {
                readableFile(secret.reference(), at, secret.path(), problems);
            }
        }
        if (params.proxyCa() != null) {
            YNode at = raw instanceof YMap m && m.get("proxy_ca") != null ? m.get("proxy_ca") : raw;
            readableFile(params.proxyCa(), at, "proxy_ca", problems);
        }
    }

    private static void readableFile(String file, YNode at, String path, Problems problems) {
        Path p = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            problems.add(at, path + ": " + p + (Files.exists(p) ? " is not a file" : " does not exist"));
        } else if (!Files.isReadable(p)) {
            problems.add(at, path + ": " + p + " cannot be read");
        }
    }
}
