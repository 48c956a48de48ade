package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.problem.ValueLength;
import io.imagebuilder.tosca.syntax.FunctionNames;
import io.imagebuilder.tosca.value.Constraint;
import io.imagebuilder.tosca.value.PrimitiveType;
import io.imagebuilder.tosca.value.ValueException;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Checks a value against its type and constraints, and renders it: fields a data type defaults are filled in.
 * Function calls are left as they are; they are checked once resolved.
 * Problems name the path of the offending value, e.g. {@code build_params.target.images[1].tag}.
 */
public final class ValueChecker {

    private final Problems problems;
    private final Consumer<YNode> secretSink;
    private boolean inSecret;

    public ValueChecker(Problems problems) {
        this(problems, value -> { });
    }

    /** {@code secretSink} is told about every value that sits in a secret field, so it can be masked later. */
    public ValueChecker(Problems problems, Consumer<YNode> secretSink) {
        this.problems = problems;
        this.secretSink = secretSink;
    }

    /** Checks a value whose messages must not show it. */
    public YNode checkSecret(YNode value, ValueType type, List<Constraint> constraints, String path) {
        boolean outer = inSecret;
        inSecret = true;
        try {
            return check(value, type, constraints, path);
        } finally {
            inSecret = outer;
        }
    }

    public YNode check(YNode value, ValueType type, List<Constraint> constraints, String path) {
        if (FunctionNames.isCall(value)) return value;
        if (type instanceof ValueType.Primitive p) {
            checkPrimitive(value, p.type(), constraints, path);
            return value;
        }
        if (type instanceof ValueType.ListOf list) return checkList(value, list, constraints, path);
        if (type instanceof ValueType.MapOf map) return checkMap(value, map, constraints, path);
        if (type instanceof ValueType.Data data) return checkData(value, data.type(), constraints, path);
        return value;
    }

    /** The canonical value of a checked scalar, for comparisons; null when it does not convert. */
    public static Object canonical(YNode value, ValueType type) {
        ValueType t = type;
        while (t instanceof ValueType.Data d && d.type().base() != null) t = d.type().base();
        if (!(t instanceof ValueType.Primitive p)) return value.toPlain();
        try {
            return p.type().coerce(value.toPlain());
        } catch (ValueException e) {
            return null;
        }
    }

    private void checkPrimitive(YNode value, PrimitiveType type, List<Constraint> constraints, String path) {
        if (type != PrimitiveType.RANGE && !(value instanceof YScalar)) {
            report(value, path, "expected " + article(type.toscaName()) + ", got " + value.describe());
            return;
        }
        String tooLong = value instanceof YScalar s && s.value() instanceof String text
                ? ValueLength.problem("value", text) : null;
        if (tooLong != null) {
            report(value, path, tooLong);
            return;
        }
        Object canonical;
        try {
            canonical = type.coerce(value.toPlain());
        } catch (ValueException e) {
            report(value, path, inSecret ? "the secret value is not " + article(type.toscaName()) : e.getMessage());
            return;
        }
        applyConstraints(value, canonical, constraints, path);
    }

    private void applyConstraints(YNode value, Object canonical, List<Constraint> constraints, String path) {
        for (Constraint c : constraints) {
            String failure = c.check(canonical);
            if (failure != null) report(value, path, "value " + (inSecret ? "(secret)" : shown(value)) + " " + failure);
        }
    }

    private YNode checkList(YNode value, ValueType.ListOf type, List<Constraint> constraints, String path) {
        if (!(value instanceof YSeq seq)) {
            report(value, path, "expected a list, got " + described(value));
            return value;
        }
        List<YNode> items = new ArrayList<>(seq.size());
        for (int i = 0; i < seq.size(); i++) {
            items.add(check(seq.get(i), type.entry(), type.entryConstraints(), path + "[" + i + "]"));
        }
        applyConstraints(value, seq.toPlain(), constraints, path);
        return new YSeq(items, seq.location());
    }

    private YNode checkMap(YNode value, ValueType.MapOf type, List<Constraint> constraints, String path) {
        if (!(value instanceof YMap map)) {
            report(value, path, "expected a map, got " + described(value));
            return value;
        }
        Map<String, YNode> entries = new LinkedHashMap<>();
        map.entries().forEach((k, v) -> {
            String entryPath = join(path, k);
            String tooLong = type.keyConstraints().isEmpty() ? null : ValueLength.problem("key", k);
            if (tooLong != null) problems.add(map.keyLocation(k), entryPath + ": " + tooLong);
            for (Constraint c : tooLong == null ? type.keyConstraints() : List.<Constraint>of()) {
                String failure = c.check(k);
                if (failure != null) {
                    problems.add(map.keyLocation(k), entryPath + ": key " + Quote.of(k) + " " + failure);
                }
            }
            entries.put(k, check(v, type.entry(), type.entryConstraints(), entryPath));
        });
        applyConstraints(value, map.toPlain(), constraints, path);
        return new YMap(entries, map.keyLocations(), map.location());
    }

    private YNode checkData(YNode value, ResolvedType type, List<Constraint> constraints, String path) {
        if (type.base() != null) {
            List<Constraint> all = new ArrayList<>(type.constraints());
            all.addAll(constraints);
            return check(value, type.base(), all, path);
        }
        if (!(value instanceof YMap map)) {
            report(value, path, "expected a map of " + type.name() + ", got " + described(value));
            return value;
        }
        Map<String, ResolvedProperty> fields = type.properties();
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, io.imagebuilder.problem.Location> keys = new LinkedHashMap<>(map.keyLocations());
        map.entries().forEach((k, v) -> {
            ResolvedProperty field = fields.get(k);
            if (field == null) {
                problems.add(map.keyLocation(k), prefix(path) + "unknown field " + Quote.of(k) + " in " + type.name()
                        + hint(k, fields.keySet()));
                return;
            }
            if (isNull(v) && !field.required()) {
                entries.put(k, v); // an explicit null leaves an optional field unset
                return;
            }
            boolean outer = inSecret;
            inSecret = outer || field.secret();
            YNode checked = check(v, field.type(), field.constraints(), join(path, k));
            inSecret = outer;
            if (field.secret()) secretSink.accept(checked);
            entries.put(k, checked);
        });
        fields.forEach((k, field) -> {
            if (map.has(k)) return;
            if (field.hasDefault()) {
                entries.put(k, field.defaultValue());
                keys.put(k, field.defaultValue().location());
            } else if (field.required()) {
                problems.add(map.location(), prefix(path) + "missing required field \"" + k + "\" of " + type.name());
            }
        });
        if (!constraints.isEmpty()) applyConstraints(value, map.toPlain(), constraints, path);
        return new YMap(entries, keys, map.location());
    }

    public static boolean isNull(YNode value) {
        return value instanceof YScalar s && s.value() == null;
    }

    private static String hint(String wrong, java.util.Set<String> fields) {
        String dym = Suggestions.didYouMean(wrong, fields);
        return dym.isEmpty() ? "; expected one of " + String.join(", ", new TreeSet<>(fields)) : dym;
    }

    private void report(YNode value, String path, String message) {
        problems.add(value, prefix(path) + message);
    }

    private static String prefix(String path) {
        return path == null || path.isEmpty() ? "" : path + ": ";
    }

    private static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    /** What a value is, for messages; a secret scalar is named by its kind, never shown. */
    private String described(YNode value) {
        if (!inSecret || !(value instanceof YScalar s) || s.value() == null) return value.describe();
        return "a secret " + (s.value() instanceof String ? "string" : s.value() instanceof Boolean ? "boolean"
                : "number");
    }

    private static String shown(YNode value) {
        Object plain = value.toPlain();
        return plain instanceof String s ? Quote.of(s) : Quote.bare(String.valueOf(plain));
    }

    private static String article(String typeName) {
        return ("aeiou".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }
}
