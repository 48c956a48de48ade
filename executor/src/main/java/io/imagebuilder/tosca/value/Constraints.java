package io.imagebuilder.tosca.value;

import java.util.List;

/** Facts about the constraint clauses as a whole. */
public final class Constraints {
    private static final List<String> OPERATORS = List.of(
            "equal", "greater_than", "greater_or_equal", "less_than", "less_or_equal",
            "in_range", "valid_values", "length", "min_length", "max_length", "pattern");

    private Constraints() {
    }

    /** The supported operator keywords, in the order of the TOSCA specification. */
    public static List<String> operators() {
        return OPERATORS;
    }
}
