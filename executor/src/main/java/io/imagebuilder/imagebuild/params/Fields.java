package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;

import java.util.List;

/**
 * One map of a build_params document together with its path inside build_params, so that every problem about
 * its fields names where it is ({@code target.registry.url: ...}) and points at the offending node.
 */
final class Fields {

    private final YMap map;
    private final String path;
    private final Problems problems;

    private Fields(YMap map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    /** Null, with a problem reported, when {@code node} is not a map. */
    static Fields of(YNode node, String path, Problems problems) {
        if (node instanceof YMap m) return new Fields(m, path, problems);
        problems.add(node, Values.label(path) + ": expected a map, got " + node.describe());
        return null;
    }

    String path() {
        return path;
    }

    Location location() {
        return map.location();
    }

    YMap map() {
        return map;
    }

    /** The path of a field of this map. */
    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reports every field not in {@code known}, at its key, with the closest known name when one is near. */
    void allowOnly(List<String> known) {
        for (String key : map.keys()) {
            if (known.contains(key)) continue;
            String hint = Suggestions.didYouMean(key, known);
            if (hint.isEmpty()) hint = "; expected one of " + String.join(", ", known);
            problems.add(map.keyLocation(key), child(key) + ": unknown field" + hint);
        }
    }

    boolean has(String key) {
        return map.has(key);
    }

    YNode get(String key) {
        return map.get(key);
    }

    /** A required field: null, with a problem at this map, when absent. */
    YNode require(String key) {
        YNode node = map.get(key);
        if (node == null) problems.add(map, child(key) + ": missing required field");
        return node;
    }

    /** An optional string; null when absent or not a string (then reported). */
    String string(String key) {
        YNode node = map.get(key);
        return node == null ? null : Values.string(node, child(key), false, problems);
    }

    /** A required string; null when absent or not a string (both reported). */
    String requiredString(String key) {
        YNode node = require(key);
        return node == null ? null : Values.string(node, child(key), false, problems);
    }

    /** An optional password or token; its value never appears in a message. */
    Secret secret(String key) {
        YNode node = map.get(key);
        return node == null ? null : Secret.of(Values.string(node, child(key), true, problems));
    }

    boolean bool(String key, boolean absent) {
        YNode node = map.get(key);
        if (node == null) return absent;
        Boolean value = Values.bool(node, child(key), problems);
        return value != null ? value : absent;
    }

    /** The {@code username} and {@code password} fields, shared by every place that authenticates. */
    Credentials credentials() {
        String username = string("username");
        // HTTP basic authentication ends the user name at the first colon and allows no control characters
        // (RFC 7617); servers refuse such names only after the work before them is done
        if (username != null && username.chars().anyMatch(c -> c == ':' || Character.isISOControl(c))) {
            problems.add(get("username"), child("username") + ": must not contain ':', line breaks or control "
                    + "characters");
        }
        Secret password = secret("password");
        return username == null && password == null ? Credentials.NONE : new Credentials(username, password);
    }
}
