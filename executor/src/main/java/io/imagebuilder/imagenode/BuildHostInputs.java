package io.imagebuilder.imagenode;

import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.source.SourceLimits;
import io.imagebuilder.ssh.SshIdentity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build host settings as the image blueprints take them: the one place that writes them as blueprint inputs, and
 * reads them back from a topology's values into build hosts, source limits and git SSH settings. The inputs are
 * named as the properties of the DockerHost node and of each build_hosts entry, so that one reading serves both.
 */
public final class BuildHostInputs {

    public static final String DOCKER_HOST = "docker_host";
    public static final String SSH_PRIVATE_KEY = "ssh_private_key";
    public static final String KNOWN_HOSTS = "known_hosts";
    public static final String DOCKER_CLIENT = "docker_client";
    public static final String BUILD_NETWORK = "build_network";
    public static final String PLATFORMS = "platforms";
    public static final String MAX_CONCURRENT_BUILDS = "max_concurrent_builds";
    public static final String GIT_SSH_PRIVATE_KEY = "git_ssh_private_key";
    public static final String GIT_KNOWN_HOSTS = "git_known_hosts";
    public static final String MAX_DOCKERFILE_BYTES = "max_dockerfile_bytes";
    public static final String MAX_CONTEXT_BYTES = "max_context_bytes";
    public static final String BUILD_HOSTS = "build_hosts";

    /** Every input that carries a build host setting. */
    public static final Set<String> NAMES = new TreeSet<>(List.of(DOCKER_HOST, SSH_PRIVATE_KEY, KNOWN_HOSTS,
            DOCKER_CLIENT, BUILD_NETWORK, PLATFORMS, GIT_SSH_PRIVATE_KEY, GIT_KNOWN_HOSTS, BUILD_HOSTS,
            MAX_CONCURRENT_BUILDS, MAX_DOCKERFILE_BYTES, MAX_CONTEXT_BYTES));

    /** What each further engine repeats of the first: everything that belongs to one engine but its address. */
    private static final List<String> PER_ENGINE = List.of(SSH_PRIVATE_KEY, KNOWN_HOSTS, DOCKER_CLIENT,
            BUILD_NETWORK, MAX_CONCURRENT_BUILDS, PLATFORMS);

    // the blueprints' defaults, for values read where the blueprint's defaults were not applied
    private static final String DEFAULT_ENGINE = "unix:///var/run/docker.sock";
    private static final String DEFAULT_CLIENT = "/usr/bin/docker";
    private static final String DEFAULT_NETWORK = "default";

    private BuildHostInputs() {
    }

    /** The inputs {@code settings} give, as plain values (strings, numbers, lists and maps). */
    public static Map<String, Object> of(BuildHostSettings settings) {
        return of(settings, Map.of());
    }

    /**
     * The inputs {@code settings} give, to be put over {@code given}: inputs the caller holds already, such as those
     * of a build_params file, as plain values. Engines after the first become build_hosts entries with the first
     * one's settings, as they stand once the settings are put over {@code given}. With no engine given anywhere,
     * {@code $DOCKER_HOST} is the engine, as it is for the docker client.
     */
    public static Map<String, Object> of(BuildHostSettings settings, Map<String, ?> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> engines = settings.dockerHosts();
        String first = engines.isEmpty() ? null : engines.get(0);
        if (first == null && !given.containsKey(DOCKER_HOST)) first = System.getenv("DOCKER_HOST");
        put(out, DOCKER_HOST, first);
        put(out, SSH_PRIVATE_KEY, settings.sshKey());
        put(out, KNOWN_HOSTS, settings.knownHosts());
        put(out, DOCKER_CLIENT, settings.dockerClient());
        put(out, BUILD_NETWORK, settings.network());
        put(out, MAX_CONCURRENT_BUILDS, settings.maxConcurrentBuilds());
        put(out, GIT_SSH_PRIVATE_KEY, settings.gitSshKey());
        put(out, GIT_KNOWN_HOSTS, settings.gitKnownHosts());
        if (settings.sourceLimits() != null) {
            out.put(MAX_DOCKERFILE_BYTES, settings.sourceLimits().maxDockerfileBytes());
            out.put(MAX_CONTEXT_BYTES, settings.sourceLimits().maxContextBytes());
        }
        if (!settings.platforms().isEmpty()) out.put(PLATFORMS, settings.platforms());
        if (engines.size() > 1) {
            Map<String, Object> merged = new LinkedHashMap<>(given);
            merged.putAll(out);
            List<Map<String, Object>> more = new ArrayList<>();
            for (String engine : engines.subList(1, engines.size())) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put(DOCKER_HOST, engine);
                for (String name : PER_ENGINE) {
                    if (merged.containsKey(name)) entry.put(name, merged.get(name));
                }
                more.add(entry);
            }
            out.put(BUILD_HOSTS, more);
        }
        return out;
    }

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) out.put(name, value instanceof Path p ? p.toString() : value);
    }

    /** The engines {@code settings} name, as a build on them reaches them (for work outside a build). */
    public static List<BuildHost> hosts(BuildHostSettings settings) {
        Map<String, Object> inputs = of(settings);
        List<BuildHost> hosts = new ArrayList<>();
        hosts.add(host(inputs));
        if (inputs.get(BUILD_HOSTS) instanceof List<?> more) {
            for (Object entry : more) hosts.add(host((Map<?, ?>) entry));
        }
        return hosts;
    }

    /** The engine {@code dockerHost} with the settings every engine of {@code settings} gets. */
    public static BuildHost host(BuildHostSettings settings, String dockerHost) {
        Map<String, Object> inputs = new LinkedHashMap<>(of(settings));
        inputs.put(DOCKER_HOST, dockerHost);
        return host(inputs);
    }

    /** A build host from a DockerHost node's properties or a build_hosts entry, as plain values. */
    static BuildHost host(Map<?, ?> in) {
        List<Platform> platforms = new ArrayList<>();
        if (in.get(PLATFORMS) instanceof List<?> list) {
            for (Object o : list) {
                Platform p = Platform.parse(String.valueOf(o));
                if (p != null) platforms.add(p);
            }
        }
        Object max = in.get(MAX_CONCURRENT_BUILDS);
        return new BuildHost(orDefault(text(in.get(DOCKER_HOST)), DEFAULT_ENGINE),
                new SshIdentity(path(in.get(SSH_PRIVATE_KEY)), path(in.get(KNOWN_HOSTS))),
                orDefault(text(in.get(DOCKER_CLIENT)), DEFAULT_CLIENT), platforms,
                max instanceof Number n ? n.intValue() : 1, orDefault(text(in.get(BUILD_NETWORK)), DEFAULT_NETWORK));
    }

    /** The bounds on fetched sources of an image node's inputs. */
    static SourceLimits sourceLimits(Map<String, Object> in) {
        return SourceLimits.of(number(in.get(MAX_DOCKERFILE_BYTES)), number(in.get(MAX_CONTEXT_BYTES)));
    }

    /** The key and known_hosts for git over SSH of an image node's inputs; null when neither is given. */
    static SshIdentity gitSsh(Map<String, Object> in) {
        Path key = path(in.get(GIT_SSH_PRIVATE_KEY));
        Path knownHosts = path(in.get(GIT_KNOWN_HOSTS));
        return key == null && knownHosts == null ? null : new SshIdentity(key, knownHosts);
    }

    private static Long number(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    private static String text(Object o) {
        return o == null || String.valueOf(o).isEmpty() ? null : String.valueOf(o);
    }

    private static Path path(Object o) {
        String t = text(o);
        return t == null ? null : Path.of(t).toAbsolutePath().normalize();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
