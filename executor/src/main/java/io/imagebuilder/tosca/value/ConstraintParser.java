package io.imagebuilder.tosca.value;

import io.imagebuilder.problem.Quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns one constraint clause into a {@link Constraint}. */
final class ConstraintParser {
    private ConstraintParser() {
    }

    static Constraint parse(String operator, Object argument, Coercer coercer) throws ValueException {
        if (operator == null) {
            throw unknown("null");
        }
        return switch (operator) {
            case "equal" -> new Equal(coerce(operator, argument, coercer));
            case "greater_than" -> comparison(Comparison.Relation.GREATER_THAN, argument, coercer);
            case "greater_or_equal" -> comparison(Comparison.Relation.GREATER_OR_EQUAL, argument, coercer);
            case "less_than" -> comparison(Comparison.Relation.LESS_THAN, argument, coercer);
            case "less_or_equal" -> comparison(Comparison.Relation.LESS_OR_EQUAL, argument, coercer);
            case "in_range" -> inRange(argument, coercer);
            case "valid_values" -> validValues(argument, coercer);
            case "length" -> length(Length.Bound.EXACT, argument);
            case "min_length" -> length(Length.Bound.MIN, argument);
            case "max_length" -> length(Length.Bound.MAX, argument);
            case "pattern" -> pattern(argument);
            default -> throw unknown(Quote.of(operator));
        };
    }

    private static Constraint comparison(Comparison.Relation relation, Object argument, Coercer coercer)
            throws ValueException {
        return new Comparison(relation, orderable(relation.keyword(), argument, coercer));
    }

    private static Constraint inRange(Object argument, Coercer coercer) throws ValueException {
        if (!(argument instanceof List<?> bounds) || bounds.size() != 2) {
            throw new ValueException("constraint \"in_range\" expects a list of two values "
                    + "[lower, upper], got " + Describe.value(argument));
        }
        Object lower = orderable("in_range", bounds.get(0), coercer);
        // UNBOUNDED is only a keyword for integers; for a string it is just a word to compare with.
        if (lower instanceof Long && Range.KEYWORD.equals(bounds.get(1))) {
            return new InRange(lower, null);
        }
        Object upper = orderable("in_range", bounds.get(1), coercer);
        Integer order = Ordering.compare(lower, upper);
        if (order == null) {
            throw new ValueException("constraint \"in_range\" has bounds " + lower + " and " + upper
                    + " that cannot be compared with each other");
        }
        if (order > 0) {
            throw new ValueException("constraint \"in_range\" has a lower bound " + lower
                    + " that is greater than its upper bound " + upper);
        }
        return new InRange(lower, upper);
    }

    private static Constraint validValues(Object argument, Coercer coercer) throws ValueException {
        if (!(argument instanceof List<?> raw)) {
            throw new ValueException("constraint \"valid_values\" expects a list of values, got "
                    + Describe.value(argument));
        }
        if (raw.isEmpty()) {
            throw new ValueException("constraint \"valid_values\" expects at least one value");
        }
        List<Object> values = new ArrayList<>();
        for (Object value : raw) {
            values.add(coerce("valid_values", value, coercer));
        }
        return new ValidValues(values);
    }

    private static Constraint length(Length.Bound bound, Object argument) throws ValueException {
        Optional<Long> length = Primitives.exactLong(argument);
        if (length.isEmpty() || length.get() < 0) {
            throw new ValueException("constraint \"" + bound.keyword()
                    + "\" expects a non-negative integer, got " + Describe.value(argument));
        }
        return new Length(bound, length.get());
    }

    private static Constraint pattern(Object argument) throws ValueException {
        if (!(argument instanceof String regex)) {
            throw new ValueException("constraint \"pattern\" expects a regular expression string, got "
                    + Describe.value(argument));
        }
        try {
            return new PatternMatch(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new ValueException("constraint \"pattern\" has an invalid regular expression '" + regex
                    + "' (" + e.getDescription() + " at index " + e.getIndex() + ")");
        }
    }

    private static Object orderable(String operator, Object argument, Coercer coercer) throws ValueException {
        Object value = coerce(operator, argument, coercer);
        if (!Ordering.orderable(value)) {
            throw new ValueException("constraint \"" + operator + "\" needs a value that can be ordered, "
                    + "such as a number, string, timestamp, version or scalar-unit; got "
                    + Describe.value(value));
        }
        return value;
    }

    private static Object coerce(String operator, Object argument, Coercer coercer) throws ValueException {
        try {
            return coercer.coerce(argument);
        } catch (ValueException e) {
            throw new ValueException("constraint \"" + operator + "\": " + e.getMessage());
        }
    }

    private static ValueException unknown(String operator) {
        return new ValueException("unknown constraint " + operator + "; expected one of "
                + String.join(", ", Constraints.operators()));
    }
}
