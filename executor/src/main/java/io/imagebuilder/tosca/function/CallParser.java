package io.imagebuilder.tosca.function;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.syntax.FunctionNames;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.List;

/** Parses the arguments of a function call, reporting calls of the wrong shape. */
public final class CallParser {

    private final Problems problems;

    public CallParser(Problems problems) {
        this.problems = problems;
    }

    /** Null, with a problem, when the call is malformed or the function is not supported. */
    public Call parse(YMap call) {
        String name = FunctionNames.name(call);
        YNode args = call.get(name);
        var at = call.location();
        switch (name) {
            case "get_input" -> {
                if (args instanceof YScalar s && s.value() instanceof String input) {
                    return new Call.GetInput(input, List.of(), at);
                }
                List<Object> path = path(args, name, 1, "[input_name, key_or_index...]");
                return path == null ? null : new Call.GetInput((String) path.get(0), path.subList(1, path.size()), at);
            }
            case "get_property", "get_attribute" -> {
                List<Object> path = path(args, name, 2, "[SELF|SOURCE|TARGET|HOST|node_name, "
                        + "(requirement_or_capability,) name, key_or_index...]");
                if (path == null) return null;
                return new Call.GetValue(name.equals("get_attribute"), (String) path.get(0),
                        path.subList(1, path.size()), at);
            }
            case "get_operation_output" -> {
                List<Object> path = path(args, name, 4, "[SELF|SOURCE|TARGET|node_name, interface, operation, output]");
                if (path == null) return null;
                if (path.size() != 4) {
                    problems.add(args, "get_operation_output takes exactly 4 arguments: "
                            + "[entity, interface, operation, output]; got " + path.size());
                    return null;
                }
                return new Call.GetOperationOutput((String) path.get(0), (String) path.get(1), (String) path.get(2),
                        (String) path.get(3), at);
            }
            case "get_artifact" -> {
                return getArtifact(args, at);
            }
            case "concat" -> {
                if (!(args instanceof YSeq seq) || seq.size() < 1) {
                    problems.add(args, "concat takes a list of values to join, e.g. concat: [\"http://\", host]");
                    return null;
                }
                return new Call.Concat(seq.items(), at);
            }
            case "join" -> {
                if (!(args instanceof YSeq seq) || seq.size() < 1 || seq.size() > 2) {
                    problems.add(args, "join takes [list_of_strings] or [list_of_strings, delimiter]");
                    return null;
                }
                return new Call.Join(seq.get(0), seq.size() == 2 ? seq.get(1) : null, at);
            }
            case "token" -> {
                if (!(args instanceof YSeq seq) || seq.size() != 3) {
                    problems.add(args, "token takes [string, separator_characters, index]");
                    return null;
                }
                return new Call.Token(seq.get(0), seq.get(1), seq.get(2), at);
            }
            default -> {
                problems.add(call.keyLocation(name), "function \"" + name + "\" is not supported "
                        + "(see docs/tosca-deviations.md)");
                return null;
            }
        }
    }

    private Call getArtifact(YNode args, io.imagebuilder.problem.Location at) {
        String shape = "get_artifact expects [SELF|SOURCE|TARGET|HOST|node_name, artifact_name, (location,) (remove)]";
        if (!(args instanceof YSeq seq) || seq.size() < 2 || seq.size() > 4) {
            problems.add(args, shape + ", got " + describe(args));
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (!(seq.get(i) instanceof YScalar s && s.value() instanceof String text)) {
                problems.add(seq.get(i), "get_artifact arguments must be names, got " + seq.get(i).describe());
                return null;
            }
            names.add(text);
        }
        boolean remove = false;
        if (seq.size() == 4) {
            if (!(seq.get(3) instanceof YScalar s && s.value() instanceof Boolean b)) {
                problems.add(seq.get(3), "get_artifact: remove must be true or false, got " + seq.get(3).describe());
                return null;
            }
            remove = b;
        }
        return new Call.GetArtifact(names.get(0), names.get(1), seq.size() > 2 ? seq.get(2) : null, remove, at);
    }

    /** A list of names (and integer indexes after the first {@code namesRequired}); null with a problem if malformed. */
    private List<Object> path(YNode args, String function, int minimum, String shape) {
        if (!(args instanceof YSeq seq) || seq.size() < minimum) {
            problems.add(args, function + " expects " + shape + ", got " + describe(args));
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < seq.size(); i++) {
            YNode item = seq.get(i);
            if (item instanceof YScalar s && s.value() instanceof String text) {
                out.add(text);
            } else if (i >= minimum - 1 && i > 0 && item instanceof YScalar s && s.value() instanceof Long index) {
                out.add(index.intValue());
            } else {
                problems.add(item, function + " arguments must be names" + (i > 0 ? " or list indexes" : "")
                        + ", got " + item.describe());
                return null;
            }
        }
        return out;
    }

    private static String describe(YNode node) {
        return node instanceof YSeq seq ? "a list of " + seq.size() : node.describe();
    }
}
