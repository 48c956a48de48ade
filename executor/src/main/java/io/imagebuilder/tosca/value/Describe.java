package io.imagebuilder.tosca.value;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Names raw and canonical values the way error messages show them to users. */
final class Describe {
    // Long strings would drown the rest of the message.
    private static final int MAX_SHOWN = 60;

    private Describe() {
    }

    /** A phrase such as {@code the string "abc"} or {@code the float 3.1}. */
    static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string " + quoted(s);
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
            return "the list " + truncated(list.toString());
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
        return value instanceof String s ? quoted(s) : value(value);
    }

    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }

    static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        truncated(s).codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static String truncated(String s) {
        if (s.codePointCount(0, s.length()) <= MAX_SHOWN) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_SHOWN)) + "...";
    }
}
