package io.imagebuilder.imagenode;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.deploy.BuiltinOperations;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.imagebuild.BuildPipeline;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Secret;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.imagebuild.source.FetchedSource;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.util.Trees;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YNodes;
import io.imagebuilder.yaml.YScalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The image definition's built-in operations: {@code image.fetch} (create) fetches the source into the node's
 * directory, {@code image.build-and-push} (start) builds and pushes every image and records them, and
 * {@code image.clean} (delete) removes what the build left on the build host.
 */
public final class ImageOperations {

    public static final String FETCH = "image.fetch";
    public static final String BUILD = "image.build-and-push";
    public static final String CLEAN = "image.clean";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageOperations() {
    }

    /** @param shared the build slots and client capabilities that every build these operations run shares */
    public static BuiltinOperations register(BuiltinOperations builtins, SharedHosts shared) {
        return builtins.register(FETCH, request -> fetch(request, shared))
                .register(BUILD, request -> buildAndPush(request, shared))
                .register(CLEAN, request -> clean(request, shared));
    }

    private static OperationResult fetch(OperationRequest request, SharedHosts shared)
            throws OperationFailedException {
        BuildParams params = params(request);
        registry(request, params); // a registry without a usable password fails now, before any work
        boolean fromDockerfile = !(params.source() instanceof Source.ImageEdit
                || params.source() instanceof Source.Layers);
        if (fromDockerfile) fetchInto(request, params, shared, lock(request));
        return OperationResult.EMPTY;
    }

    private static OperationResult buildAndPush(OperationRequest request, SharedHosts shared)
            throws OperationFailedException {
        BuildParams params = params(request);
        RegistrySpec registry = registry(request, params);
        try {
            BuildPipeline pipeline = new BuildPipeline(request.output(), request.cancellation(), shared);
            Map<String, Object> attributes;
            BuildLock lock = lock(request);
            if (params.source() instanceof Source.ImageEdit) {
                // edited in the registry: no build host takes part
                attributes = pipeline.edit(params, registry, request.nodeDirectory(), lock, vendor(request))
                        .toAttributes();
            } else if (params.source() instanceof Source.Layers) {
                attributes = pipeline.layers(params, registry, hosts(request), request.workDirectory(), lock,
                        vendor(request)).toAttributes();
            } else {
                List<BuildHost> hosts = hosts(request);
                FetchedSource source = fetched(request);
                if (source == null) source = fetchInto(request, params, shared, lock);
                attributes = pipeline.build(params, registry, hosts, source, request.workDirectory(), lock,
                        vendor(request))
                        .toAttributes();
            }
            return new OperationResult(attributes, attributes);
        } catch (BuildException e) {
            // what was built and pushed before the failure, and how each host fared, stay visible in the state
            throw new OperationFailedException(request, e.getMessage(),
                    e.partial() == null ? Map.of() : e.partial().toAttributes());
        } finally {
            Trees.delete(sourceDirectory(request)); // sources never outlive the build, failed or not
        }
    }

    private static OperationResult clean(OperationRequest request, SharedHosts shared)
            throws OperationFailedException {
        Map<String, BuildHost> hosts = new LinkedHashMap<>();
        for (BuildHost h : hosts(request)) hosts.put(h.dockerHost(), h);
        try {
            if (request.inputs().get("host_tags") instanceof Map<?, ?> byHost) {
                for (Map.Entry<?, ?> e : byHost.entrySet()) {
                    BuildHost host = hosts.get(String.valueOf(e.getKey()));
                    if (host == null || !(e.getValue() instanceof List<?> list)) continue;
                    new BuildPipeline(request.output(), request.cancellation(), shared)
                            .clean(host, list.stream().map(String::valueOf).toList());
                }
            }
        } catch (BuildException e) {
            throw new OperationFailedException(request, e.getMessage());
        } finally {
            Trees.delete(request.nodeDirectory());
        }
        return OperationResult.EMPTY;
    }

    // --- inputs --------------------------------------------------------------------------------------

    static BuildParams params(OperationRequest request) throws OperationFailedException {
        Problems problems = new Problems();
        YNode node = YNodes.of(request.inputs().get("build_params"), Location.file("build_params"));
        BuildParams params = BuildParamsParser.parse(node, problems);
        if (params == null) {
            throw new OperationFailedException(request, "invalid build_params: " + problems.sorted().stream()
                    .map(Problem::message).collect(Collectors.joining("; ")));
        }
        return params;
    }

    /** The lock the build is held to (the {@code locked} input), or null. */
    static BuildLock lock(OperationRequest request) throws OperationFailedException {
        if (!(request.inputs().get("locked") instanceof Map<?, ?> map) || map.isEmpty()) return null;
        try {
            return BuildLock.fromMap(map);
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException(request, "the locked input is not a lock: " + e.getMessage());
        }
    }

    /** The vendor directory of an offline build (the {@code vendor_directory} input), or null. */
    static Path vendor(OperationRequest request) {
        Object value = request.inputs().get("vendor_directory");
        return value == null || String.valueOf(value).isEmpty() ? null : Path.of(String.valueOf(value));
    }

    /** The registry given inline in build_params, else the registry node this image connects to. */
    static RegistrySpec registry(OperationRequest request, BuildParams params) throws OperationFailedException {
        RegistrySpec registry = configuredRegistry(request, params);
        if (registry == null) return null; // nothing goes to a registry, and no registry to pull from either
        Credentials c = registry.credentials();
        if (c.username() != null && c.password() == null) {
            throw new OperationFailedException(request, "registry " + registry.host() + ": user \"" + c.username()
                    + "\" has no password; give build_params.target.registry.password, or the registry_password "
                    + "input (a separate inputs file, or image-builder build --registry-password-stdin)");
        }
        return registry;
    }

    private static RegistrySpec configuredRegistry(OperationRequest request, BuildParams params)
            throws OperationFailedException {
        RegistrySpec registry = registryOf(request.topology(), request.node(), params,
                Secret.of(text(request.inputs().get("registry_password"))));
        if (registry == null && !params.target().needsNoRegistry()) {
            throw new OperationFailedException(request, "no registry to push to: build_params.target.registry is "
                    + "not given and the image is not connected to a registry node");
        }
        return registry;
    }

    /**
     * The registry the image node {@code node} pushes to, as its build step will find it, for checking the login
     * while the run gets ready; null when there is none, or its build_params cannot be read (the step says why).
     */
    static RegistrySpec registry(Topology topology, String node) {
        Map<String, YNode> p = topology.node(node).properties();
        BuildParams params = BuildParamsParser.parse(p.get("build_params"), new Problems());
        return params == null ? null
                : registryOf(topology, node, params, Secret.of(scalar(p.get("registry_password"))));
    }

    /**
     * The registry given inline in build_params (with {@code password} when it gives none), else the one the node
     * links to in {@code topology} (which may be null: none).
     */
    private static RegistrySpec registryOf(Topology topology, String node, BuildParams params, Secret password) {
        RegistrySpec inline = params.target().registry();
        if (inline != null) {
            if (inline.credentials().password() == null && password != null) {
                return new RegistrySpec(inline.url(), new Credentials(inline.credentials().username(), password),
                        inline.insecure());
            }
            return inline;
        }
        Node self = topology == null ? null : topology.node(node);
        Relationship link = self == null ? null : self.requirements().stream()
                .filter(r -> r.requirement().equals("registry")).findFirst().orElse(null);
        if (link == null) return null;
        Map<String, YNode> p = topology.node(link.target()).properties();
        Secret own = Secret.of(scalar(p.get("password")));
        return new RegistrySpec(scalar(p.get("url")), new Credentials(scalar(p.get("username")),
                own != null ? own : password), "true".equals(scalar(p.get("insecure"))));
    }

    /**
     * The build hosts: the targets of the image's build_host requirements, in order. A DockerHost node is one host;
     * a DockerHostPool node contributes each entry of its hosts list.
     */
    static List<BuildHost> hosts(OperationRequest request) throws OperationFailedException {
        List<BuildHost> hosts = hosts(request.topology(), request.node());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (BuildHost h : hosts) {
            if (!seen.add(h.dockerHost())) {
                throw new OperationFailedException(request, "build host " + h.dockerHost() + " is named twice");
            }
        }
        if (hosts.isEmpty()) throw new OperationFailedException(request, "no build host: connect a build_host");
        return hosts;
    }

    /** The build hosts of image node {@code node}, in order, as its properties stand in {@code topology}. */
    static List<BuildHost> hosts(Topology topology, String node) {
        List<BuildHost> hosts = new ArrayList<>();
        for (Relationship r : topology.node(node).requirements()) {
            if (!r.requirement().equals("build_host")) continue;
            Map<String, YNode> p = topology.node(r.target()).properties();
            if (p.get("hosts") instanceof io.imagebuilder.yaml.YSeq pool) {
                for (YNode entry : pool.items()) {
                    if (entry.toPlain() instanceof Map<?, ?> m) hosts.add(BuildHostInputs.host(m));
                }
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                p.forEach((k, v) -> m.put(k, v == null ? null : v.toPlain()));
                hosts.add(BuildHostInputs.host(m));
            }
        }
        return hosts;
    }

    // --- the fetched source, kept in the node's directory between create and start ---------------------

    private static Path sourceDirectory(OperationRequest request) {
        return request.nodeDirectory().resolve("source");
    }

    private static FetchedSource fetchInto(OperationRequest request, BuildParams params, SharedHosts shared,
                                           BuildLock lock) throws OperationFailedException {
        Path dir = sourceDirectory(request);
        Trees.delete(dir);
        try {
            FetchedSource source = new BuildPipeline(request.output(), request.cancellation(), shared)
                    .fetch(params, dir, BuildHostInputs.gitSsh(request.inputs()),
                            BuildHostInputs.sourceLimits(request.inputs()), lock, vendor(request));
            Files.writeString(request.nodeDirectory().resolve("source.json"), JSON.writeValueAsString(
                    Map.of("context", source.context().toString(), "dockerfile", source.dockerfile().toString(),
                            "materials", source.materials())));
            return source;
        } catch (BuildException e) {
            Trees.delete(dir);
            throw new OperationFailedException(request, e.getMessage());
        } catch (IOException e) {
            Trees.delete(dir);
            throw new OperationFailedException(request, "cannot record the fetched source: " + e.getMessage());
        }
    }

    private static FetchedSource fetched(OperationRequest request) {
        Path record = request.nodeDirectory().resolve("source.json");
        if (!Files.isRegularFile(record) || !Files.isDirectory(sourceDirectory(request))) return null;
        try {
            Map<?, ?> m = JSON.readValue(record.toFile(), Map.class);
            List<Material> materials = JSON.convertValue(m.get("materials"), new TypeReference<List<Material>>() { });
            return new FetchedSource(Path.of((String) m.get("context")), Path.of((String) m.get("dockerfile")),
                    materials);
        } catch (IOException e) {
            return null;
        }
    }

    // --- small helpers -------------------------------------------------------------------------------

    private static String text(Object o) {
        return o == null || String.valueOf(o).isEmpty() ? null : String.valueOf(o);
    }

    private static String scalar(YNode node) {
        return node instanceof YScalar s && s.value() != null ? s.text() : null;
    }


}
