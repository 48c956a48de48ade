package io.imagebuilder.tosca.value;

import java.util.Collection;
import java.util.Map;

/** One of the clauses length, min_length and max_length. */
record Length(Bound bound, long length) implements Constraint {

    enum Bound {
        EXACT("length", ""),
        MIN("min_length", "at least "),
        MAX("max_length", "at most ");

        private final String keyword;
        private final String phrase;

        Bound(String keyword, String phrase) {
            this.keyword = keyword;
            this.phrase = phrase;
        }

        String keyword() {
            return keyword;
        }

        boolean holds(long actual, long length) {
            return switch (this) {
                case EXACT -> actual == length;
                case MIN -> actual >= length;
                case MAX -> actual <= length;
            };
        }
    }

    @Override
    public String operator() {
        return bound.keyword;
    }

    @Override
    public String check(Object canonicalValue) {
        String rule = "a length of " + bound.phrase + length;
        Long actual = measure(canonicalValue);
        if (actual == null) {
            return "must be a string, list or map with " + rule;
        }
        return bound.holds(actual, length) ? null : "must have " + rule + " (has " + actual + ")";
    }

    /** Strings count code points, so a character outside the BMP is one, not two. */
    private static Long measure(Object value) {
        if (value instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        if (value instanceof Collection<?> c) {
            return (long) c.size();
        }
        if (value instanceof Map<?, ?> m) {
            return (long) m.size();
        }
        return null;
    }
}
