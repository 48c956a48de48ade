package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.ValueLength;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

/** Type checks of single values, worded for people who wrote them in YAML or JSON. */
final class Values {

    private Values() {
    }

    /** What a message calls a path: the document itself has no path of its own. */
    static String label(String path) {
        return path.isEmpty() ? "build_params" : path;
    }

    /**
     * The string, or null with a problem. YAML reads unquoted {@code 3.10} as the number 3.1 and {@code yes} as
     * text but {@code true} as a boolean, so a number or boolean where text belongs gets a hint to quote it.
     * A secret's value is never shown, only its kind.
     */
    static String string(YNode node, String path, boolean secret, Problems problems) {
        if (node instanceof YScalar s && s.value() instanceof String text) {
            String tooLong = ValueLength.problem("value", text);
            if (tooLong == null) return text;
            problems.add(node, path + ": " + tooLong);
            return null;
        }
        String got = secret ? kind(node) : node.describe();
        boolean quotable = node instanceof YScalar s && s.value() != null;
        problems.add(node, path + ": expected a string, got " + got
                + (quotable ? "; put the value in quotes so that it is read as text, exactly as written" : ""));
        return null;
    }

    static Boolean bool(YNode node, String path, Problems problems) {
        if (node instanceof YScalar s && s.value() instanceof Boolean b) return b;
        problems.add(node, path + ": expected a boolean (true or false), got " + node.describe());
        return null;
    }

    /** The list, or null with a problem. */
    static YSeq list(YNode node, String path, Problems problems) {
        if (node instanceof YSeq seq) return seq;
        problems.add(node, path + ": expected a list, got " + node.describe());
        return null;
    }

    /** A value described without showing it. */
    private static String kind(YNode node) {
        if (node instanceof YMap) return "a map";
        if (node instanceof YSeq) return "a list";
        Object value = ((YScalar) node).value();
        if (value == null) return "null";
        if (value instanceof Boolean) return "a boolean";
        return "a number";
    }
}
