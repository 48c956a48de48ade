package io.imagebuilder.imagenode;

import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.imagebuild.params.BuildSecret;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YSeq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            localInputs(raw, params, System::getenv, problems);
            boolean registryNode = node.requirements().stream().anyMatch(r -> r.requirement().equals("registry"));
            var registry = params.target().registry();
            if (registry == null && !registryNode && !params.target().needsNoRegistry()) {
                problems.add(raw, "target.registry: there is no registry to push to; give target.registry in "
                        + "build_params or connect node \"" + node.name() + "\" to a registry node");
            }
        }
        problems.throwIfAny(PHASE);
    }

    /**
     * What the build reads from this machine when it starts, after the source is fetched, must be there: secrets
     * from files and environment variables, the proxy CA, files added to an edited image.
     */
    static void localInputs(YNode raw, BuildParams params, UnaryOperator<String> environment, Problems problems) {
        for (BuildSecret secret : params.secrets()) {
            YNode at = at(raw, "secrets", secret.id(), secret.from().field());
            if (secret.from() == BuildSecret.From.ENV && environment.apply(secret.reference()) == null) {
                problems.add(at, secret.path() + ": the environment variable " + secret.reference() + " is not set");
            } else if (secret.from() == BuildSecret.From.FILE) {
                readableFile(secret.reference(), at, secret.path(), problems);
            }
        }
        if (params.source() instanceof Source.ImageEdit edit) {
            for (int i = 0; i < edit.add().size(); i++) {
                String src = edit.add().get(i).src();
                Path p = Path.of(src).toAbsolutePath();
                if (!Files.exists(p)) {
                    problems.add(at(raw, "source", "add", i, "src"), "source.add[" + i + "].src: " + p
                            + " does not exist");
                }
            }
        }
        if (params.source() instanceof Source.Layers layers) {
            for (int i = 0; i < layers.layers().size(); i++) {
                Source.Layer layer = layers.layers().get(i);
                if (layer.ansible() != null) {
                    Path playbook = Path.of(layer.ansible().playbook()).toAbsolutePath();
                    if (!Files.isRegularFile(playbook)) {
                        problems.add(at(raw, "layers", i, "ansible", "playbook"), "layers[" + i
                                + "].ansible.playbook: " + playbook + " is not a file");
                    }
                    continue;
                }
                List<String> repositories = layer.packages().repositories();
                for (int j = 0; j < repositories.size(); j++) {
                    Path dir = Path.of(repositories.get(j));
                    if (repositories.get(j).startsWith("/") && !Files.isDirectory(dir)) {
                        problems.add(at(raw, "layers", i, "base", "repositories", j), "layers[" + i
                                + "].base.repositories[" + j + "]: " + dir + " is not a directory");
                    }
                }
            }
        }
        if (params.proxyCa() != null) {
            readableFile(params.proxyCa(), at(raw, "proxy_ca"), "proxy_ca", problems);
        }
    }

    /** The node at a path of keys and indexes, or the nearest one above it that exists. */
    private static YNode at(YNode root, Object... path) {
        YNode node = root;
        for (Object step : path) {
            YNode next = step instanceof Integer i ? (node instanceof YSeq s && i < s.items().size() ? s.items().get(i)
                    : null) : (node instanceof YMap m ? m.get((String) step) : null);
            if (next == null) return node;
            node = next;
        }
        return node;
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
