package io.imagebuilder.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a plan for people (text) or programs (JSON). */
public final class PlanPrinter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanPrinter() {
    }

    public static String text(Plan plan) {
        StringBuilder sb = new StringBuilder();
        int nodes = plan.nodes().size();
        int waves = plan.waveCount();
        sb.append("Plan for ").append(plan.template()).append(": ").append(nodes).append(nodes == 1 ? " node" : " nodes")
                .append(" in ").append(waves).append(waves == 1 ? " wave" : " waves").append('\n');
        sb.append("Nodes in the same wave do not depend on each other and may run concurrently.\n");
        int index = 0;
        for (List<PlannedNode> wave : plan.waves()) {
            sb.append("\nwave ").append(wave.get(0).wave()).append('\n');
            for (PlannedNode n : wave) {
                sb.append("  ").append(n.name()).append(" (").append(n.type()).append(')');
                if (!n.after().isEmpty()) sb.append(", after ").append(String.join(", ", n.after()));
                sb.append('\n');
                if (n.steps().isEmpty()) sb.append("    nothing to run\n");
                for (PlannedStep s : n.steps()) step(sb, ++index + ". ", s);
            }
        }
        if (!plan.triggers().isEmpty()) {
            sb.append("\ntriggers (run by notify --trigger NAME or EVENT; events are not watched)\n");
            for (PlannedTrigger t : plan.triggers()) {
                sb.append("  ").append(t.name()).append(" (policy ").append(t.policy());
                if (t.event() != null) sb.append(", event ").append(t.event());
                sb.append(") on ").append(String.join(", ", t.targets())).append('\n');
                if (t.condition() != null) sb.append("    condition: ").append(t.condition()).append('\n');
                if (t.calls().isEmpty()) sb.append("    nothing to run\n");
                for (PlannedStep s : t.calls()) step(sb, "- " + s.node() + " ", s);
            }
        }
        return sb.toString();
    }

    private static void step(StringBuilder sb, String label, PlannedStep s) {
        sb.append("    ").append(label).append(s.qualifiedOperation());
        if (s.relationship() != null) {
            sb.append(" [").append(s.relationship()).append(" -> ").append(s.target()).append(']');
        }
        sb.append("  ").append(s.implementation());
        if (s.timeoutSeconds() != null) sb.append("  (timeout ").append(s.timeoutSeconds()).append(" s)");
        sb.append('\n');
        s.inputs().forEach((k, v) -> sb.append("         ").append(k).append(": ").append(inline(v)).append('\n'));
    }

    public static String json(Plan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("template", plan.template());
        out.put("waves", plan.waveCount());
        out.put("nodes", plan.nodes());
        out.put("triggers", plan.triggers());
        try {
            return JSON.writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String inline(Object value) {
        if (value instanceof String s) return s;
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
