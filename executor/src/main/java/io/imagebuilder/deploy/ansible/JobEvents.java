package io.imagebuilder.deploy.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The events ansible-runner wrote for one run ({@code artifacts/IDENT/job_events/COUNTER-UUID.json}), in the
 * order they happened: what the playbook published with {@code set_stats}, and why it failed.
 */
final class JobEvents {

    /** Cause lines kept from a failed task's stderr or stdout. */
    private static final int CAUSE_LINES = 5;
    private static final int CAUSE_CHARS = 2000;

    private final List<JsonNode> events;

    private JobEvents(List<JsonNode> events) {
        this.events = events;
    }

    /** Reads the events of a run; a missing directory (nothing ran) gives none. Unreadable files are skipped. */
    static JobEvents read(Path jobEventsDir) throws IOException {
        if (!Files.isDirectory(jobEventsDir)) return new JobEvents(List.of());
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(jobEventsDir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".json"))::iterator) {
                try {
                    JsonNode event = mapper.readTree(file.toFile());
                    if (event != null && event.isObject()) events.add(event);
                } catch (IOException e) {
                    // a partly written event (the run was stopped) tells nothing
                }
            }
        }
        events.sort(Comparator.comparingLong(e -> e.path("counter").asLong(Long.MAX_VALUE)));
        return new JobEvents(events);
    }

    /** What the playbook published with set_stats (not per host), as plain values; empty when nothing. */
    Map<String, Object> artifactData() {
        Map<String, Object> data = new LinkedHashMap<>();
        for (JsonNode event : events) {
            if (!"playbook_on_stats".equals(event.path("event").asText())) continue;
            JsonNode artifactData = event.path("event_data").path("artifact_data");
            if (artifactData.isObject()) {
                artifactData.properties().forEach(f -> data.put(f.getKey(), plain(f.getValue())));
            }
        }
        return data;
    }

    /** Why the run failed, from its last failed or unreachable task; null when no event says. */
    Failure failure() {
        for (int i = events.size() - 1; i >= 0; i--) {
            JsonNode event = events.get(i);
            String type = event.path("event").asText();
            JsonNode data = event.path("event_data");
            if ("runner_on_unreachable".equals(type)) {
                return new Failure(true, data.path("task").asText(""), data.path("host").asText(""),
                        cause(data.path("res")));
            }
            if ("runner_on_failed".equals(type) && !data.path("ignore_errors").asBoolean(false)) {
                return new Failure(false, data.path("task").asText(""), data.path("host").asText(""),
                        cause(data.path("res")));
            }
        }
        return null;
    }

    record Failure(boolean unreachable, String task, String host, String cause) {
    }

    /** A task result's message, with the end of its error output when there is one. */
    static String cause(JsonNode res) {
        JsonNode results = res.path("results");
        if (results.isArray()) { // a loop: the first failed item says more than "One or more items failed"
            for (JsonNode item : results) {
                if (item.path("failed").asBoolean(false) || item.path("unreachable").asBoolean(false)) {
                    String itemCause = cause(item);
                    if (!itemCause.isEmpty()) return itemCause;
                }
            }
        }
        String msg = text(res.path("msg"));
        String detail = lastLines(text(res.path("stderr")));
        if (detail.isEmpty()) detail = lastLines(text(res.path("module_stderr")));
        if (detail.isEmpty() && msg.isEmpty()) detail = lastLines(text(res.path("stdout")));
        if (detail.isEmpty() && msg.isEmpty()) detail = lastLines(text(res.path("module_stdout")));
        String cause;
        if (msg.isEmpty()) cause = detail;
        else if (detail.isEmpty() || msg.contains(detail)) cause = msg;
        else cause = msg + ": " + detail;
        return cause.length() > CAUSE_CHARS ? "…" + cause.substring(cause.length() - CAUSE_CHARS) : cause;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) return "";
        return (node.isTextual() ? node.asText() : node.toString()).strip();
    }

    private static String lastLines(String text) {
        if (text.isEmpty()) return "";
        List<String> lines = Arrays.stream(text.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - CAUSE_LINES), lines.size()));
    }

    /** A JSON value as the plain values operations produce: String, Long, Double, Boolean, null, List, Map. */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.asText();
        if (node.isBoolean()) return node.asBoolean();
        if (node.isIntegralNumber()) return node.canConvertToLong() ? (Object) node.asLong() : node.asText();
        if (node.isNumber()) return node.asDouble();
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(f -> map.put(f.getKey(), plain(f.getValue())));
            return map;
        }
        return node.asText();
    }
}
