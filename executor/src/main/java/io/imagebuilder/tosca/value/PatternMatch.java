package io.imagebuilder.tosca.value;

import java.util.regex.Pattern;

/** The "pattern" clause: the whole string must match. */
record PatternMatch(Pattern pattern) implements Constraint {
    @Override
    public String operator() {
        return "pattern";
    }

    @Override
    public String check(Object canonicalValue) {
        String rule = "the pattern '" + pattern.pattern() + "'";
        if (!(canonicalValue instanceof String s)) {
            return "must be a string matching " + rule;
        }
        return pattern.matcher(s).matches() ? null : "must match " + rule;
    }

    // Pattern has identity equality; two clauses with the same text are the same constraint.
    @Override
    public boolean equals(Object other) {
        return other instanceof PatternMatch that && pattern.pattern().equals(that.pattern.pattern());
    }

    @Override
    public int hashCode() {
        return pattern.pattern().hashCode();
    }
}
