package io.imagebuilder.server.api;

import io.imagebuilder.imagebuild.host.HostPlatforms;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.pool.RunningUnits;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStore;
import io.javalin.http.Context;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET /hosts: the server's build hosts, what their probes found, and what they build now. Every key sees every
 * host and how many units each runs, but names only the units of its own jobs.
 */
final class HostsApi {

    private final HostProbes probes;
    private final JobStore store;
    private final RunningUnits units;

    HostsApi(HostProbes probes, JobStore store, RunningUnits units) {
        this.probes = probes;
        this.store = store;
        this.units = units;
    }

    void list(Context ctx) {
        String owner = ApiServer.owner(ctx);
        List<RunningUnits.Unit> running = units.now();
        List<Map<String, Object>> items = new ArrayList<>();
        for (HostProbes.Result r : probes.probe()) {
            String name = r.host().dockerHost();
            List<RunningUnits.Unit> here = running.stream().filter(u -> u.host().equals(name)).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("docker_host", shown(name));
            m.put("max_concurrent_builds", r.host().maxConcurrentBuilds());
            m.put("running", here.size());
            m.put("units", here.stream().map(u -> unit(u, owner)).flatMap(Optional::stream).toList());
            m.put("probe", probe(r));
            items.add(m);
        }
        ApiServer.json(ctx, Map.of("items", items));
    }

    private static Map<String, Object> probe(HostProbes.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.error() == null ? "reachable" : "unreachable");
        m.put("probed_at", r.at().toString());
        m.put("engine_version", r.engineVersion());
        m.put("engine_platform", r.enginePlatform() == null ? null : r.enginePlatform().toString());
        HostPlatforms p = r.platforms();
        m.put("native_platforms", p == null ? List.of() : names(p.nativePlatforms()));
        // what it emulates beyond what it runs natively
        m.put("emulated_platforms", p == null ? List.of() : names(p.emulated().stream().filter(e -> !p.isNative(e))
                .toList()));
        m.put("error", r.error());
        return m;
    }

    private static List<String> names(java.util.Collection<Platform> platforms) {
        return platforms.stream().map(Platform::toString).sorted().toList();
    }

    /** A unit of the caller's own job; another owner's is only counted. */
    private Optional<Map<String, Object>> unit(RunningUnits.Unit u, String owner) {
        if (u.owner() == null) return Optional.empty();
        Optional<Job> job = store.byId(u.owner(), owner);
        return job.map(j -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", u.label());
            m.put("job_id", j.id());
            m.put("job_link", (j.isDeployment() ? "/deployments/" : "/builds/") + j.id());
            m.put("since", u.since().toString());
            return m;
        });
    }

    /** The engine's address without any password an ssh:// address might carry in its user part. */
    static String shown(String dockerHost) {
        try {
            URI uri = new URI(dockerHost);
            String user = uri.getUserInfo();
            if (user == null || !user.contains(":")) return dockerHost;
            return new URI(uri.getScheme(), user.substring(0, user.indexOf(':')), uri.getHost(), uri.getPort(),
                    uri.getPath(), uri.getQuery(), uri.getFragment()).toString();
        } catch (java.net.URISyntaxException e) {
            return dockerHost;
        }
    }
}
