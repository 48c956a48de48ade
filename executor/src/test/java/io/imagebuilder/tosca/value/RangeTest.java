package io.imagebuilder.tosca.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RangeTest {
    private static final String PREFIX = "expected a range such as [1, UNBOUNDED], got ";

    @Test
    void parsesBoundedRanges() throws ValueException {
        Range range = (Range) PrimitiveType.RANGE.coerce(List.of(1, 5));
        assertThat(range).isEqualTo(new Range(1, 5));
        assertThat(range).hasToString("[1, 5]");
        assertThat(range.isUnbounded()).isFalse();
        assertThat(range.contains(1)).isTrue();
        assertThat(range.contains(5)).isTrue();
        assertThat(range.contains(0)).isFalse();
        assertThat(range.contains(6)).isFalse();
    }

    @Test
    void parsesUnboundedRanges() throws ValueException {
        Range range = (Range) PrimitiveType.RANGE.coerce(List.of(0, "UNBOUNDED"));
        assertThat(range).isEqualTo(new Range(0, Range.UNBOUNDED));
        assertThat(range).hasToString("[0, UNBOUNDED]");
        assertThat(range.isUnbounded()).isTrue();
        assertThat(range.contains(Long.MAX_VALUE)).isTrue();
        assertThat(range.contains(-1)).isFalse();
    }

    @Test
    void acceptsEqualBoundsAndLongs() throws ValueException {
        assertThat(PrimitiveType.RANGE.coerce(List.of(3L, BigInteger.valueOf(3)))).isEqualTo(new Range(3, 3));
        assertThat(PrimitiveType.RANGE.coerce(List.of(-5, 5))).isEqualTo(new Range(-5, 5));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(List.of(5, 2),
                        "the list [5, 2] (the lower bound 5 is greater than the upper bound 2)"),
                Arguments.of(List.of(1), "the list [1]"),
                Arguments.of(List.of(1, 2, 3), "the list [1, 2, 3]"),
                Arguments.of(List.of(), "the list []"),
                Arguments.of("1..5", "the string \"1..5\""),
                Arguments.of(5, "the integer 5"),
                Arguments.of(null, "null"),
                Arguments.of(List.of("UNBOUNDED", 5),
                        "the list [UNBOUNDED, 5] (the lower bound must be an integer)"),
                Arguments.of(List.of(1.5, 5), "the list [1.5, 5] (the lower bound must be an integer)"),
                Arguments.of(Arrays.asList(1, null),
                        "the list [1, null] (the upper bound must be an integer or UNBOUNDED)"),
                Arguments.of(List.of(1, "unbounded"),
                        "the list [1, unbounded] (the upper bound must be an integer or UNBOUNDED)"),
                Arguments.of(List.of(1, "5"), "the list [1, 5] (the upper bound must be an integer or UNBOUNDED)"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsMalformedRanges(Object raw, String found) {
        assertThatThrownBy(() -> PrimitiveType.RANGE.coerce(raw))
                .isInstanceOf(ValueException.class)
                .hasMessage(PREFIX + found);
    }

    @Test
    void constructorRefusesReversedBounds() {
        assertThatThrownBy(() -> new Range(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
