package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code build_args} and {@code labels}: names to strings, passed to docker as {@code NAME=VALUE}. A name with
 * "=" would be split at the wrong place, so it is refused in both; a build argument is named like the ARG that
 * receives it and the variable RUN sees, and a label key holds no blanks or control characters, which the engine
 * would refuse only after the source is fetched and the host connected.
 */
final class StringMaps {

    /** How a Dockerfile ARG can be named and used as $NAME in RUN. */
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private StringMaps() {
    }

    static Map<String, String> buildArgs(YNode node, String path, Problems problems) {
        return read(node, path, problems, name -> ARG_NAME.matcher(name).matches() ? null
                : "\"" + name + "\" is not a build argument name; expected letters, digits and '_', not starting "
                + "with a digit");
    }

    /** Environment variables of an image: any name without "=" or blanks. */
    static Map<String, String> environment(YNode node, String path, Problems problems) {
        return read(node, path, problems, name -> name.chars().noneMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c)) ? null
                : "environment variable names must not contain spaces, line breaks or control characters");
    }

    static Map<String, String> labels(YNode node, String path, Problems problems) {
        return read(node, path, problems, name -> name.chars().noneMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c)) ? null
                : "label keys must not contain spaces, line breaks or control characters");
    }

    /** @param nameProblem what is wrong with a name, or null when it is fine */
    private static Map<String, String> read(YNode node, String path, Problems problems,
                                            Function<String, String> nameProblem) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : f.map().keys()) {
            String problem = name.isEmpty() ? "names must not be empty"
                    : name.indexOf('=') >= 0 ? "names must not contain \"=\"" : nameProblem.apply(name);
            if (problem != null) problems.add(f.map().keyLocation(name), (name.isEmpty() ? path : f.child(name))
                    + ": " + problem);
            String value = f.string(name);
            if (value != null) out.put(name, value);
        }
        return out;
    }
}
