package io.imagebuilder.build.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code build_args} and {@code labels}: names to strings, passed to docker as {@code NAME=VALUE}. A name with
 * "=" would be split at the wrong place, so it is refused in both.
 */
final class StringMaps {

    private StringMaps() {
    }

    static Map<String, String> read(YNode node, String path, Problems problems) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : f.map().keys()) {
            if (name.isEmpty()) {
                problems.add(f.map().keyLocation(name), path + ": names must not be empty");
            } else if (name.indexOf('=') >= 0) {
                problems.add(f.map().keyLocation(name), f.child(name) + ": names must not contain \"=\"");
            }
            String value = f.string(name);
            if (value != null) out.put(name, value);
        }
        return out;
    }
}
