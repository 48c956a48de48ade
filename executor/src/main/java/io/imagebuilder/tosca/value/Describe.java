package io.imagebuilder.tosca.value;

import io.imagebuilder.problem.Quote;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Names raw and canonical values the way error messages show them to users. */
final class Describe {
    private Describe() {
    }

    /** A phrase such as {@code the string "abc"} or {@code the float 3.1}. */
    static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string " + Quote.of(s);
        }
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        if (isInteger(value)) {
            return "the integer " + value;
        }
        if (value instanceof Double || value instanceof Float) {
            return "the float " + value;
        }
        if (value instanceof List<?> list) {
            return "the list " + Quote.bare(list.toString());
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof Instant) {
            return "the timestamp " + value;
        }
        if (value instanceof Version) {
            return "the version " + value;
        }
        if (value instanceof Range) {
            return "the range " + value;
        }
        if (value instanceof ScalarUnit unit) {
            return "the " + unit.kind().toscaName() + " " + unit;
        }
        return "a value of type " + value.getClass().getSimpleName();
    }

    /**
     * Like {@link #value} but shows a string bare and quoted: used where a string was the right
     * kind of value and only its text was wrong.
     */
    static String text(Object value) {
        return value instanceof String s ? Quote.of(s) : value(value);
    }

    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }
}
