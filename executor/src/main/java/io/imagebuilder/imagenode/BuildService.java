package io.imagebuilder.imagenode;

import io.imagebuilder.build.BuildReport;
import io.imagebuilder.build.BuildRequest;
import io.imagebuilder.build.UnitPlanner;
import io.imagebuilder.build.params.BuildParams;
import io.imagebuilder.build.params.BuildParamsParser;
import io.imagebuilder.build.params.ImageSpec;
import io.imagebuilder.build.params.RegistrySpec;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.deploy.DeployOptions;
import io.imagebuilder.deploy.DeploymentResult;
import io.imagebuilder.deploy.Deployments;
import io.imagebuilder.deploy.state.NodeRecord;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.ToscaLoader;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.util.Trees;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
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

    private final Path workingDirectory;
    private final Deployments deployments;
    private final long maxBytes;

    public BuildService(Path workingDirectory, Deployments deployments) {
        this(workingDirectory, deployments, YamlReader.DEFAULT_MAX_BYTES);
    }

    /** {@code maxBytes}: the largest build_params file, or template, this reads. */
    public BuildService(Path workingDirectory, Deployments deployments, long maxBytes) {
        this.workingDirectory = workingDirectory;
        this.deployments = deployments;
        this.maxBytes = maxBytes;
    }

    /** The blueprint inside the installation (bin/image-builder sets imagebuilder.home). */
    public static Path blueprint() {
        return Path.of(System.getProperty("imagebuilder.home", ".")).resolve(BLUEPRINT).toAbsolutePath().normalize();
    }

    public Topology validate(BuildRequest request) {
        Topology topology = new ToscaLoader(workingDirectory, maxBytes).load(blueprint(), List.of(), inputs(request));
        BuildChecks.check(topology);
        return topology;
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
        return new BuildReport("planned", host, registry.host(), images, null, null, null, null);
    }

    public BuildReport build(BuildRequest request, Console console, Cancellation cancellation)
            throws InterruptedException {
        YMap inputs = inputs(request);
        Topology topology = new ToscaLoader(workingDirectory, maxBytes).load(blueprint(), List.of(), inputs);
        BuildChecks.check(topology);
        Path state = request.stateDirectory();
        boolean temporary = state == null;
        try {
            if (temporary) state = Files.createTempDirectory("image-builder-build-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a state directory: " + e.getMessage(), e);
        }
        DeploymentResult result = deployments.deploy(topology, blueprint(), List.of(), inputs,
                new DeployOptions(1, false, true, state, request.timeout()), cancellation, null);
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
                result.succeeded() && temporary ? null : state.toString(), hostTags(image));
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
    YMap inputs(BuildRequest r) {
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
        String dockerHost = r.dockerHosts().isEmpty() ? null : r.dockerHosts().get(0);
        if (dockerHost == null && !in.containsKey("docker_host")) dockerHost = System.getenv("DOCKER_HOST");
        put(in, keys, "docker_host", dockerHost, "--docker-host");
        put(in, keys, "ssh_private_key", r.sshKey(), "--ssh-key");
        put(in, keys, "known_hosts", r.knownHosts(), "--known-hosts");
        put(in, keys, "docker_client", r.dockerClient(), "--docker-client");
        put(in, keys, "build_network", r.network(), "--network");
        put(in, keys, "max_concurrent_builds", r.maxConcurrentBuilds() == null ? null
                : (Object) r.maxConcurrentBuilds().longValue(), "--max-concurrent-builds");
        put(in, keys, "registry_password", r.registryPassword(), "standard input");
        put(in, keys, "git_ssh_private_key", r.gitSshKey(), "--git-ssh-key");
        put(in, keys, "git_known_hosts", r.gitKnownHosts(), "--git-known-hosts");
        if (r.sourceLimits() != null) {
            put(in, keys, "max_dockerfile_bytes", r.sourceLimits().maxDockerfileBytes(), "--max-dockerfile-bytes");
            put(in, keys, "max_context_bytes", r.sourceLimits().maxContextBytes(), "--max-context-bytes");
        }
        if (!r.platforms().isEmpty()) {
            Location at = Location.file("--platform");
            List<YNode> items = new ArrayList<>();
            r.platforms().forEach(p -> items.add(YScalar.of(p, at)));
            in.put("platforms", new YSeq(items, at));
            keys.put("platforms", at);
        }
        if (r.dockerHosts().size() > 1) {
            Location at = Location.file("--docker-host");
            List<YNode> more = new ArrayList<>();
            for (String host : r.dockerHosts().subList(1, r.dockerHosts().size())) more.add(engine(host, in, at));
            in.put("build_hosts", new YSeq(more, at));
            keys.put("build_hosts", at);
        }
        return new YMap(in, keys, root.location());
    }

    /** One more engine, with the connection settings the first one got. */
    private static YMap engine(String dockerHost, Map<String, YNode> in, Location at) {
        Map<String, YNode> e = new LinkedHashMap<>();
        Map<String, Location> keys = new LinkedHashMap<>();
        e.put("docker_host", YScalar.of(dockerHost, at));
        for (String k : List.of("ssh_private_key", "known_hosts", "docker_client", "build_network",
                "max_concurrent_builds", "platforms")) {
            if (in.containsKey(k)) e.put(k, in.get(k));
        }
        e.keySet().forEach(k -> keys.put(k, at));
        return new YMap(e, keys, at);
    }

    private static void put(Map<String, YNode> in, Map<String, Location> keys, String input, Object value,
                            String source) {
        if (value == null) return;
        Location at = Location.file(source);
        Object v = value instanceof Path p ? p.toAbsolutePath().normalize().toString() : value;
        in.put(input, YScalar.of(v, at));
        keys.put(input, at);
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
