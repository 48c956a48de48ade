package io.imagebuilder.imagenode;

import io.imagebuilder.deploy.Console;
import io.imagebuilder.deploy.DeployOptions;
import io.imagebuilder.deploy.DeploymentResult;
import io.imagebuilder.deploy.Deployments;
import io.imagebuilder.deploy.state.NodeRecord;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.BuildReport;
import io.imagebuilder.imagebuild.BuildRequest;
import io.imagebuilder.imagebuild.UnitPlanner;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.TemplateCache;
import io.imagebuilder.tosca.ToscaLoader;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.util.Trees;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YNodes;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;
import io.imagebuilder.yaml.YamlReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct builds from a build_params file: the bundled blueprint deployed with inputs made from the file. */
public final class BuildService {

    public static final String BLUEPRINT = "blueprints/docker_image_definition.yaml";
    private static final String IMAGE_NODE = "image";

    /** Where a build host input comes from, for messages about its value: the build command's option. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry(BuildHostInputs.DOCKER_HOST, "--docker-host"),
            Map.entry(BuildHostInputs.SSH_PRIVATE_KEY, "--ssh-key"),
            Map.entry(BuildHostInputs.KNOWN_HOSTS, "--known-hosts"),
            Map.entry(BuildHostInputs.DOCKER_CLIENT, "--docker-client"),
            Map.entry(BuildHostInputs.BUILD_NETWORK, "--network"),
            Map.entry(BuildHostInputs.PLATFORMS, "--platform"),
            Map.entry(BuildHostInputs.MAX_CONCURRENT_BUILDS, "--max-concurrent-builds"),
            Map.entry(BuildHostInputs.GIT_SSH_PRIVATE_KEY, "--git-ssh-key"),
            Map.entry(BuildHostInputs.GIT_KNOWN_HOSTS, "--git-known-hosts"),
            Map.entry(BuildHostInputs.MAX_DOCKERFILE_BYTES, "--max-dockerfile-bytes"),
            Map.entry(BuildHostInputs.MAX_CONTEXT_BYTES, "--max-context-bytes"),
            Map.entry(BuildHostInputs.BUILD_HOSTS, "--docker-host"));

    private final Path workingDirectory;
    private final Deployments deployments;
    private final long maxBytes;
    private final TemplateCache templates;

    public BuildService(Path workingDirectory, Deployments deployments) {
        this(workingDirectory, deployments, YamlReader.DEFAULT_MAX_BYTES, new TemplateCache());
    }

    /**
     * {@code maxBytes}: the largest build_params file, or template, this reads. {@code templates}: where the
     * blueprint is kept read and type-checked, shared by every build service of a process that checks many builds.
     */
    public BuildService(Path workingDirectory, Deployments deployments, long maxBytes, TemplateCache templates) {
        this.workingDirectory = workingDirectory;
        this.deployments = deployments;
        this.maxBytes = maxBytes;
        this.templates = templates;
    }

    /** The blueprint inside the installation (bin/image-builder sets imagebuilder.home). */
    public static Path blueprint() {
        return Path.of(System.getProperty("imagebuilder.home", ".")).resolve(BLUEPRINT).toAbsolutePath().normalize();
    }

    public Topology validate(BuildRequest request) {
        Topology topology = loader().load(blueprint(), List.of(), inputs(request));
        BuildChecks.check(topology);
        return topology;
    }

    /**
     * Reads and type-checks the bundled blueprint into {@code templates} ahead of a build, so that the build's
     * own check only renders it with the build's inputs. A command line run does this while its arguments are
     * parsed.
     */
    public static void prepareAhead(Path workingDirectory, long maxBytes, TemplateCache templates) {
        new ToscaLoader(workingDirectory, maxBytes, templates).prepareAhead(blueprint());
    }

    private ToscaLoader loader() {
        return new ToscaLoader(workingDirectory, maxBytes, templates);
    }

    public BuildReport plan(BuildRequest request) {
        Topology topology = validate(request);
        Node image = topology.node(IMAGE_NODE);
        BuildParams params = BuildParamsParser.parse(image.properties().get("build_params"), new Problems());
        RegistrySpec registry = params.target().registry();
        String host = hosts(topology);
        Object declared = topology.node("build-host").properties().get("platforms") instanceof YSeq s
                && !s.items().isEmpty() ? s.items().get(0).toPlain() : "linux/amd64";
        List<Map<String, Object>> images = new ArrayList<>();
        for (ImageSpec spec : params.target().images()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", UnitPlanner.reference(registry, spec));
            m.put("platforms", spec.platforms().isEmpty() ? List.of(String.valueOf(declared))
                    : spec.platforms().stream().map(Object::toString).toList());
            if (spec.base() != null) m.put("base", spec.base());
            images.add(m);
        }
        return new BuildReport("planned", host, registry.host(), images, null, null, null, null, null, null, null);
    }

    /**
     * Checks the request, then builds and pushes. {@code hosts}: the build hosts' shared state, through which the
     * hosts are connected to while the run gets ready.
     */
    public BuildReport build(BuildRequest request, Console console, Cancellation cancellation, SharedHosts hosts)
            throws InterruptedException {
        RegistryClient.prepare();
        YMap inputs = inputs(request);
        Topology topology = loader().load(blueprint(), List.of(), inputs);
        BuildChecks.check(topology);
        Path state = request.stateDirectory();
        boolean temporary = state == null;
        DeploymentResult result;
        try (var connecting = hosts.connectAhead(ImageOperations.hosts(topology, IMAGE_NODE),
                ImageOperations.registry(topology, IMAGE_NODE),
                cancellation == null ? new Cancellation() : cancellation)) {
            try {
                if (temporary) state = Files.createTempDirectory("image-builder-build-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a state directory: " + e.getMessage(), e);
            }
            result = deployments.deploy(topology, blueprint(), List.of(), inputs,
                    new DeployOptions(1, false, true, state, request.host().timeout()), cancellation, null);
        }
        NodeRecord image = result.state().nodes.get(IMAGE_NODE);
        List<Map<String, Object>> images = new ArrayList<>();
        if (image != null && image.attributes.get("images") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    m.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    images.add(copy);
                }
            }
        }
        Double seconds = result.state().started == null || result.state().finished == null ? null
                : Duration.between(result.state().started, result.state().finished).toMillis() / 1000.0;
        String error = result.succeeded() ? null : result.state().nodes.values().stream()
                .filter(r -> r.error != null).map(r -> r.error).findFirst().orElse("the build did not finish");
        String host = hosts(topology);
        String registry = images.isEmpty() ? null : String.valueOf(images.get(0).get("reference")).split("/")[0];
        if (temporary && result.succeeded()) Trees.delete(state);
        return new BuildReport(result.succeeded() ? "succeeded" : "failed", host, registry, images, seconds, error,
                result.succeeded() && temporary ? null : state.toString(), hostTags(image), lock(image, result),
                attached(image, result, "provenance"), attached(image, result, "sboms"));
    }

    /** The lock the image node recorded, for a build that succeeded. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> lock(NodeRecord image, DeploymentResult result) {
        return result.succeeded() && image != null && image.attributes.get("lock") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : null;
    }

    /** What the image node attached to its images (its provenance or sboms attribute), for a build that succeeded. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attached(NodeRecord image, DeploymentResult result, String attribute) {
        return result.succeeded() && image != null && image.attributes.get(attribute) instanceof List<?> l
                ? (List<Map<String, Object>>) l : List.of();
    }

    /** The tags the image node recorded on each build host, also when the build failed part of the way. */
    private static Map<String, List<String>> hostTags(NodeRecord image) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (image != null && image.attributes.get("host_tags") instanceof Map<?, ?> byHost) {
            byHost.forEach((host, tags) -> {
                if (tags instanceof List<?> list) out.put(String.valueOf(host), list.stream().map(String::valueOf).toList());
            });
        }
        return out;
    }

    /** The blueprint's inputs: the file's (bare build_params, or an inputs document), then the options given. */
    public YMap inputs(BuildRequest r) {
        Problems problems = new Problems();
        Path file = r.file().toAbsolutePath().normalize();
        String name = file.startsWith(workingDirectory.toAbsolutePath())
                ? workingDirectory.toAbsolutePath().relativize(file).toString() : file.toString();
        YNode root = (r.document() != null ? YamlReader.parse(r.document(), name, problems, maxBytes)
                : YamlReader.read(file, name, problems, maxBytes)).orElse(null);
        problems.throwIfAny("reading " + name);
        Map<String, YNode> in = new LinkedHashMap<>();
        Map<String, Location> keys = new LinkedHashMap<>();
        if (root instanceof YMap map && map.has("build_params")) {
            in.putAll(map.entries());
            keys.putAll(map.keyLocations());
        } else {
            in.put("build_params", root);
            keys.put("build_params", root.location());
        }
        Map<String, Object> given = new LinkedHashMap<>();
        in.forEach((input, value) -> given.put(input, value == null ? null : value.toPlain()));
        BuildHostInputs.of(r.host(), given).forEach((input, value) -> {
            Location at = Location.file(OPTIONS.getOrDefault(input, input));
            in.put(input, YNodes.of(value, at));
            keys.put(input, at);
        });
        if (r.lock() != null) {
            Location at = Location.file("--locked");
            in.put("locked", YNodes.of(r.lock().toMap(), at));
            keys.put("locked", at);
        }
        if (r.vendor() != null) {
            Location at = Location.file("--offline");
            in.put("vendor_directory", YScalar.of(r.vendor().toAbsolutePath().normalize().toString(), at));
            keys.put("vendor_directory", at);
        }
        if (r.registryPassword() != null) {
            Location at = Location.file("standard input");
            in.put("registry_password", YScalar.of(r.registryPassword(), at));
            keys.put("registry_password", at);
        }
        return new YMap(in, keys, root.location());
    }

    /** The engines of the blueprint's build-host and more-build-hosts nodes, comma-separated. */
    private static String hosts(Topology topology) {
        List<String> all = new ArrayList<>();
        all.add(text(topology.node("build-host").properties().get("docker_host")));
        if (topology.node("more-build-hosts").properties().get("hosts") instanceof YSeq more) {
            for (YNode e : more.items()) {
                if (e instanceof YMap m) all.add(text(m.entries().get("docker_host")));
            }
        }
        return String.join(", ", all);
    }

    private static String text(YNode node) {
        return node instanceof YScalar s && s.value() != null ? s.text() : null;
    }
}
