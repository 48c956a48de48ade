package io.imagebuilder.yaml;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Quote;

/** A scalar resolved with the YAML 1.2 core schema; {@code value} is String, Long, BigInteger, Double, Boolean or null. */
public record YScalar(Object value, Location location) implements YNode {

    public static YScalar of(Object value, Location location) {
        return new YScalar(value, location);
    }

    public boolean isString() {
        return value instanceof String;
    }

    public String text() {
        return value == null ? "null" : String.valueOf(value);
    }

    @Override
    public Object toPlain() {
        return value;
    }

    @Override
    public String describe() {
        return describeValue(value);
    }

    public static String describeValue(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "the string " + Quote.of(s);
        if (value instanceof Boolean b) return "the boolean " + b;
        if (value instanceof Double d) return "the float " + d;
        if (value instanceof Number n) return "the integer " + n;
        if (value instanceof java.util.List<?>) return "a list";
        if (value instanceof java.util.Map<?, ?>) return "a map";
        return String.valueOf(value);
    }
}
