package io.imagebuilder.tosca.value;

/** A TOSCA 3.6.3 constraint clause, already parsed against the type of the value it constrains. */
public sealed interface Constraint
        permits Equal, Comparison, InRange, ValidValues, Length, PatternMatch {

    /** Operator keyword as written in TOSCA, e.g. "greater_than". */
    String operator();

    /**
     * Null when the canonical value satisfies the constraint, else a user-facing message such as
     * "must be greater than 5" or "must be one of [a, b]" or "must match the pattern '^[a-z]+$'".
     */
    String check(Object canonicalValue);

    /**
     * Parses one clause (the single key and its argument of a constraint map) against the value
     * type, converting the argument(s) to canonical values with the given coercer.
     */
    static Constraint parse(String operator, Object argument, Coercer coercer) throws ValueException {
        return ConstraintParser.parse(operator, argument, coercer);
    }
}
