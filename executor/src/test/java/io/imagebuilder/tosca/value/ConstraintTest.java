package io.imagebuilder.tosca.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConstraintTest {
    private static final Coercer ANYTHING = raw -> raw;

    private static Constraint parse(String operator, Object argument, PrimitiveType type) throws ValueException {
        return Constraint.parse(operator, argument, type::coerce);
    }

    /** Type, operator, argument, a raw value that passes, a raw value that fails, the failure message. */
    static Stream<Arguments> clauses() {
        return Stream.of(
                Arguments.of(PrimitiveType.INTEGER, "equal", 5, 5, 6, "must be equal to 5"),
                Arguments.of(PrimitiveType.STRING, "equal", "a", "a", "b", "must be equal to a"),
                Arguments.of(PrimitiveType.BOOLEAN, "equal", true, true, false, "must be equal to true"),
                Arguments.of(PrimitiveType.TIME, "equal", "1.5 m", "90 s", "91 s", "must be equal to 1.5 m"),
                Arguments.of(PrimitiveType.VERSION, "equal", "2.0", "2.0.0", "2.0.1", "must be equal to 2.0"),
                Arguments.of(PrimitiveType.INTEGER, "greater_than", 5, 6, 5, "must be greater than 5"),
                Arguments.of(PrimitiveType.FLOAT, "greater_than", 0, 0.1, -0.1, "must be greater than 0.0"),
                Arguments.of(PrimitiveType.SIZE, "greater_than", "1000 MB", "1 GiB", "1 GB",
                        "must be greater than 1000 MB"),
                Arguments.of(PrimitiveType.INTEGER, "greater_or_equal", 5, 5, 4,
                        "must be greater than or equal to 5"),
                Arguments.of(PrimitiveType.TIMESTAMP, "greater_or_equal", "2020-01-01", "2020-01-01 00:00:00",
                        "2019-12-31T23:59:59Z", "must be greater than or equal to 2020-01-01T00:00:00Z"),
                Arguments.of(PrimitiveType.INTEGER, "less_than", 5, 4, 5, "must be less than 5"),
                Arguments.of(PrimitiveType.STRING, "less_than", "m", "apple", "zebra", "must be less than m"),
                Arguments.of(PrimitiveType.INTEGER, "less_or_equal", 5, 5, 6, "must be less than or equal to 5"),
                Arguments.of(PrimitiveType.VERSION, "less_or_equal", "1.10", "1.9", "1.11",
                        "must be less than or equal to 1.10"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", List.of(1, 10), 10, 11, "must be in the range [1, 10]"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", List.of(1, 10), 1, 0, "must be in the range [1, 10]"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", List.of(1, "UNBOUNDED"), Long.MAX_VALUE, 0,
                        "must be in the range [1, UNBOUNDED]"),
                Arguments.of(PrimitiveType.FREQUENCY, "in_range", List.of("1 GHz", "3 GHz"), "2400 MHz", "3.1 GHz",
                        "must be in the range [1 GHz, 3 GHz]"),
                Arguments.of(PrimitiveType.STRING, "in_range", List.of("A", "UNBOUNDED"), "TEXT", "ZERO",
                        "must be in the range [A, UNBOUNDED]"),
                Arguments.of(PrimitiveType.STRING, "valid_values", List.of("a", "b"), "b", "c",
                        "must be one of [a, b]"),
                Arguments.of(PrimitiveType.INTEGER, "valid_values", List.of(1, 2, 3), 3, 4, "must be one of [1, 2, 3]"),
                Arguments.of(PrimitiveType.SIZE, "valid_values", List.of("1 GiB", "2 GiB"), "1024 MiB", "1 GB",
                        "must be one of [1 GiB, 2 GiB]"),
                Arguments.of(PrimitiveType.STRING, "length", 3, "abc", "abcd", "must have a length of 3 (has 4)"),
                Arguments.of(PrimitiveType.STRING, "length", 2, "\uD83D\uDE00\uD83D\uDE00", "\uD83D\uDE00",
                        "must have a length of 2 (has 1)"),
                Arguments.of(PrimitiveType.STRING, "min_length", 2, "ab", "a",
                        "must have a length of at least 2 (has 1)"),
                Arguments.of(PrimitiveType.STRING, "max_length", 2, "", "abc",
                        "must have a length of at most 2 (has 3)"),
                Arguments.of(PrimitiveType.STRING, "pattern", "^[a-z]+$", "abc", "aBc",
                        "must match the pattern '^[a-z]+$'"),
                Arguments.of(PrimitiveType.STRING, "pattern", "[a-z]+", "abc", "abc1",
                        "must match the pattern '[a-z]+'"));
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3} passes, {4} fails")
    @MethodSource("clauses")
    void checksCoercedValues(PrimitiveType type, String operator, Object argument, Object passing, Object failing,
            String message) throws ValueException {
        Constraint constraint = parse(operator, argument, type);
        assertThat(constraint.operator()).isEqualTo(operator);
        assertThat(constraint.check(type.coerce(passing))).isNull();
        assertThat(constraint.check(type.coerce(failing))).isEqualTo(message);
    }

    @Test
    void everyListedOperatorParses() throws ValueException {
        for (String operator : Constraints.operators()) {
            Object argument = switch (operator) {
                case "in_range" -> List.of(1, 2);
                case "valid_values" -> List.of(1);
                case "pattern" -> "[0-9]+";
                default -> 1;
            };
            assertThat(parse(operator, argument, PrimitiveType.INTEGER).operator()).isEqualTo(operator);
        }
    }

    @Test
    void operatorsAreInSpecificationOrder() {
        assertThat(Constraints.operators()).containsExactly("equal", "greater_than", "greater_or_equal",
                "less_than", "less_or_equal", "in_range", "valid_values", "length", "min_length", "max_length",
                "pattern");
    }

    @Test
    void lengthsApplyToListsAndMaps() throws ValueException {
        Constraint min = Constraint.parse("min_length", 2, ANYTHING);
        assertThat(min.check(List.of(1, 2))).isNull();
        assertThat(min.check(List.of(1))).isEqualTo("must have a length of at least 2 (has 1)");
        assertThat(min.check(Map.of("a", 1, "b", 2))).isNull();
        assertThat(min.check(Map.of())).isEqualTo("must have a length of at least 2 (has 0)");
        assertThat(min.check(5L)).isEqualTo("must be a string, list or map with a length of at least 2");
    }

    @Test
    void lengthArgumentsAreNotCoerced() throws ValueException {
        // A string-typed property still takes an integer length.
        assertThat(parse("max_length", 4, PrimitiveType.STRING).check("abcd")).isNull();
    }

    @Test
    void patternNeedsAString() throws ValueException {
        assertThat(parse("pattern", "[0-9]+", PrimitiveType.STRING).check(12L))
                .isEqualTo("must be a string matching the pattern '[0-9]+'");
    }

    @Test
    void patternsWithTheSameTextAreEqual() throws ValueException {
        assertThat(parse("pattern", "a+", PrimitiveType.STRING))
                .isEqualTo(parse("pattern", "a+", PrimitiveType.STRING));
    }

    @Test
    void uncomparableValuesUseEquals() throws ValueException {
        Constraint equal = Constraint.parse("equal", List.of(1, 2), ANYTHING);
        assertThat(equal.check(List.of(1, 2))).isNull();
        assertThat(equal.check(List.of(2, 1))).isEqualTo("must be equal to [1, 2]");
        Constraint valid = Constraint.parse("valid_values", List.of(Map.of("a", 1), Map.of("b", 2)), ANYTHING);
        assertThat(valid.check(Map.of("b", 2))).isNull();
        assertThat(valid.check(Map.of("c", 3))).isEqualTo("must be one of [{a=1}, {b=2}]");
    }

    @Test
    void nullIsAValidValue() throws ValueException {
        Constraint valid = Constraint.parse("valid_values", Arrays.asList("a", null), ANYTHING);
        assertThat(valid.check(null)).isNull();
        assertThat(valid.check("b")).isEqualTo("must be one of [a, null]");
    }

    @Test
    void comparisonsFailForValuesOfAnotherType() throws ValueException {
        Constraint greater = parse("greater_than", 5, PrimitiveType.INTEGER);
        assertThat(greater.check("6")).isEqualTo("must be greater than 5");
        assertThat(greater.check(null)).isEqualTo("must be greater than 5");
        Constraint range = parse("in_range", List.of(1, "UNBOUNDED"), PrimitiveType.INTEGER);
        assertThat(range.check(6.0)).isEqualTo("must be in the range [1, UNBOUNDED]");
    }

    static Stream<Arguments> badClauses() {
        return Stream.of(
                Arguments.of(PrimitiveType.INTEGER, "foo", 1, "unknown constraint \"foo\"; expected one of equal, "
                        + "greater_than, greater_or_equal, less_than, less_or_equal, in_range, valid_values, "
                        + "length, min_length, max_length, pattern"),
                Arguments.of(PrimitiveType.INTEGER, "Equal", 1, "unknown constraint \"Equal\"; expected one of "
                        + String.join(", ", Constraints.operators())),
                Arguments.of(PrimitiveType.INTEGER, null, 1, "unknown constraint null; expected one of "
                        + String.join(", ", Constraints.operators())),
                Arguments.of(PrimitiveType.INTEGER, "equal", "five",
                        "constraint \"equal\": expected an integer, got the string \"five\""),
                Arguments.of(PrimitiveType.INTEGER, "greater_than", 1.5,
                        "constraint \"greater_than\": expected an integer, got the float 1.5"),
                Arguments.of(PrimitiveType.SIZE, "less_than", "4 parsecs",
                        "constraint \"less_than\": expected a scalar-unit.size such as \"4 GiB\", got \"4 parsecs\""
                                + " (unknown unit \"parsecs\"; use one of B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)"),
                Arguments.of(PrimitiveType.BOOLEAN, "greater_or_equal", true,
                        "constraint \"greater_or_equal\" needs a value that can be ordered, such as a number, "
                                + "string, timestamp, version or scalar-unit; got the boolean true"),
                Arguments.of(PrimitiveType.RANGE, "less_or_equal", List.of(1, 2),
                        "constraint \"less_or_equal\" needs a value that can be ordered, such as a number, "
                                + "string, timestamp, version or scalar-unit; got the range [1, 2]"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", 5,
                        "constraint \"in_range\" expects a list of two values [lower, upper], got the integer 5"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", List.of(1, 2, 3),
                        "constraint \"in_range\" expects a list of two values [lower, upper], got the list [1, 2, 3]"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", List.of(10, 1),
                        "constraint \"in_range\" has a lower bound 10 that is greater than its upper bound 1"),
                Arguments.of(PrimitiveType.INTEGER, "in_range", List.of(1, "unbounded"),
                        "constraint \"in_range\": expected an integer, got the string \"unbounded\""),
                Arguments.of(PrimitiveType.FLOAT, "in_range", List.of(1.5, "UNBOUNDED"),
                        "constraint \"in_range\": expected a float, got the string \"UNBOUNDED\""),
                Arguments.of(PrimitiveType.INTEGER, "valid_values", 1,
                        "constraint \"valid_values\" expects a list of values, got the integer 1"),
                Arguments.of(PrimitiveType.INTEGER, "valid_values", List.of(),
                        "constraint \"valid_values\" expects at least one value"),
                Arguments.of(PrimitiveType.INTEGER, "valid_values", List.of(1, "two"),
                        "constraint \"valid_values\": expected an integer, got the string \"two\""),
                Arguments.of(PrimitiveType.STRING, "length", "3",
                        "constraint \"length\" expects a non-negative integer, got the string \"3\""),
                Arguments.of(PrimitiveType.STRING, "min_length", -1,
                        "constraint \"min_length\" expects a non-negative integer, got the integer -1"),
                Arguments.of(PrimitiveType.STRING, "max_length", 2.0,
                        "constraint \"max_length\" expects a non-negative integer, got the float 2.0"),
                Arguments.of(PrimitiveType.STRING, "pattern", 5,
                        "constraint \"pattern\" expects a regular expression string, got the integer 5"),
                Arguments.of(PrimitiveType.STRING, "pattern", "[a-",
                        "constraint \"pattern\" has an invalid regular expression '[a-'"
                                + " (Illegal character range at index 3)"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("badClauses")
    void rejectsBadClauses(PrimitiveType type, String operator, Object argument, String message) {
        assertThatThrownBy(() -> parse(operator, argument, type))
                .isInstanceOf(ValueException.class)
                .hasMessage(message);
    }
}
