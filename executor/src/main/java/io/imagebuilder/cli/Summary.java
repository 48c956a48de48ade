package io.imagebuilder.cli;

import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.NodeRecord;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Prints a deployment's state as a table: per node, state, last operation, when and how long. */
final class Summary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Summary() {
    }

    static void print(PrintWriter out, DeploymentState state) {
        out.println("Deployment of " + state.template + ": " + state.status.name().toLowerCase(Locale.ROOT)
                + (state.started == null ? "" : ", started " + TIME.format(state.started))
                + (state.finished == null ? "" : ", finished " + TIME.format(state.finished)));
        int width = Math.max(4, state.nodes.keySet().stream().mapToInt(String::length).max().orElse(4));
        int opWidth = Math.max(14, state.nodes.values().stream()
                .mapToInt(r -> r.lastOperation == null ? 1 : r.lastOperation.length()).max().orElse(14));
        String format = "%-" + width + "s  %-11s  %-" + opWidth + "s  %-19s  %s%n";
        out.printf(format, "NODE", "STATE", "LAST OPERATION", "WHEN", "DURATION");
        for (Map.Entry<String, NodeRecord> e : state.nodes.entrySet()) {
            NodeRecord r = e.getValue();
            out.printf(format, e.getKey(), r.state.label(), r.lastOperation == null ? "-" : r.lastOperation,
                    r.operationStarted == null ? "-" : TIME.format(r.operationStarted),
                    r.durationMillis == null ? (r.operationStarted == null ? "-" : "running")
                            : String.format(Locale.ROOT, "%.1f s", r.durationMillis / 1000.0));
        }
        state.nodes.forEach((name, r) -> {
            if (r.attributes.get("build_hosts") instanceof java.util.List<?> hosts && !hosts.isEmpty()) {
                out.println("build hosts of " + name + ":");
                hosts.forEach(h -> out.println("  " + host(h)));
            }
        });
        state.nodes.forEach((name, r) -> {
            if (r.error != null) {
                out.println("error: node \"" + name + "\", operation " + r.lastOperation + ": " + r.error);
            }
        });
        out.flush();
    }

    /** e.g. "ssh://root@10.0.0.5:22  usable  Docker 20.10.24  linux/amd64; emulates linux/arm64  2 units". */
    private static String host(Object entry) {
        if (!(entry instanceof Map<?, ?> m)) return String.valueOf(entry);
        StringBuilder sb = new StringBuilder().append(m.get("docker_host")).append("  ").append(m.get("status"));
        if (m.get("engine") != null) sb.append("  ").append(m.get("engine"));
        if (m.get("platforms") != null) sb.append("  ").append(m.get("platforms"));
        if (m.get("units_built") != null) sb.append("  units built: ").append(m.get("units_built"));
        if (m.get("error") != null) sb.append("  (").append(m.get("error")).append(')');
        return sb.toString();
    }

    static String elapsed(DeploymentState s) {
        if (s.started == null || s.finished == null) return "";
        return String.format(Locale.ROOT, " in %.1f s", Duration.between(s.started, s.finished).toMillis() / 1000.0);
    }
}
