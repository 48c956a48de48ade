package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to the keys of one YAML map, reporting every key of the wrong shape and every key
 * the grammar does not know. Absent keys read as null or empty.
 */
final class Fields {

    private final YMap map;
    private final String what;
    private final Problems problems;

    private Fields(YMap map, String what, Problems problems) {
        this.map = map;
        this.what = what;
        this.problems = problems;
    }

    /** Null (with a problem) when {@code node} is not a map. */
    static Fields of(YNode node, String what, Set<String> allowed, Problems problems) {
        if (!(node instanceof YMap map)) {
            problems.add(node, "expected a map for " + what + ", got " + node.describe());
            return null;
        }
        for (String key : map.keys()) {
            if (!allowed.contains(key)) {
                problems.add(map.keyLocation(key), "unknown field \"" + key + "\" in " + what
                        + "; expected one of " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return new Fields(map, what, problems);
    }

    YMap map() {
        return map;
    }

    Location location() {
        return map.location();
    }

    YNode node(String key) {
        return map.get(key);
    }

    String string(String key) {
        YNode node = map.get(key);
        if (node == null) return null;
        if (node instanceof YScalar s && s.value() instanceof String text) return text;
        if (node instanceof YScalar s && s.value() != null && !"description".equals(key)) {
            problems.add(node, "expected a string for \"" + key + "\" in " + what + ", got " + node.describe());
            return null;
        }
        if (node instanceof YScalar s && s.value() != null) return s.text();
        problems.add(node, "expected a string for \"" + key + "\" in " + what + ", got " + node.describe());
        return null;
    }

    Name name(String key) {
        String value = string(key);
        return value == null ? null : Name.of(value, map.get(key).location());
    }

    boolean bool(String key, boolean fallback) {
        YNode node = map.get(key);
        if (node == null) return fallback;
        if (node instanceof YScalar s && s.value() instanceof Boolean b) return b;
        problems.add(node, "expected true or false for \"" + key + "\" in " + what + ", got " + node.describe());
        return fallback;
    }

    Long integer(String key) {
        YNode node = map.get(key);
        if (node == null) return null;
        if (node instanceof YScalar s && s.value() instanceof Long l) return l;
        problems.add(node, "expected an integer for \"" + key + "\" in " + what + ", got " + node.describe());
        return null;
    }

    /** A map-valued key; null when absent or of the wrong shape. */
    YMap mapOf(String key) {
        YNode node = map.get(key);
        if (node == null) return null;
        if (node instanceof YMap m) return m;
        if (node instanceof YScalar s && s.value() == null) return YMap.empty(node.location());
        problems.add(node, "expected a map for \"" + key + "\" in " + what + ", got " + node.describe());
        return null;
    }

    YSeq listOf(String key) {
        YNode node = map.get(key);
        if (node == null) return null;
        if (node instanceof YSeq s) return s;
        if (node instanceof YScalar s && s.value() == null) return new YSeq(List.of(), node.location());
        problems.add(node, "expected a list for \"" + key + "\" in " + what + ", got " + node.describe());
        return null;
    }

    /** A list of names; a single string is accepted as a list of one, as TOSCA allows for several keys. */
    List<Name> names(String key) {
        YNode node = map.get(key);
        List<Name> out = new ArrayList<>();
        if (node == null) return out;
        if (node instanceof YScalar s && s.value() instanceof String text) {
            out.add(Name.of(text, node.location()));
            return out;
        }
        YSeq seq = listOf(key);
        if (seq == null) return out;
        for (YNode item : seq.items()) {
            if (item instanceof YScalar s && s.value() instanceof String text) out.add(Name.of(text, item.location()));
            else problems.add(item, "expected a name in \"" + key + "\" of " + what + ", got " + item.describe());
        }
        return out;
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (Name n : names(key)) out.add(n.value());
        return out;
    }

    Map<String, String> metadata() {
        YMap meta = mapOf("metadata");
        Map<String, String> out = new LinkedHashMap<>();
        if (meta == null) return out;
        meta.entries().forEach((k, v) -> {
            if (v instanceof YScalar s) out.put(k, s.text());
            else problems.add(v, "metadata values must be plain values; \"" + k + "\" is " + v.describe());
        });
        return out;
    }
}
