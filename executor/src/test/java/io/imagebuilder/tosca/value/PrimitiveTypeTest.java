package io.imagebuilder.tosca.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrimitiveTypeTest {

    @ParameterizedTest
    @EnumSource(PrimitiveType.class)
    void looksUpByPlainAndPrefixedName(PrimitiveType type) {
        assertThat(PrimitiveType.byName(type.toscaName())).contains(type);
        assertThat(PrimitiveType.byName("tosca:" + type.toscaName())).contains(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Integer", "int", "tosca:", "tosca:map", "scalar-unit", "tosca.datatypes.Root"})
    void unknownNamesAreEmpty(String name) {
        assertThat(PrimitiveType.byName(name)).isEmpty();
    }

    @Test
    void nullNameIsEmpty() {
        assertThat(PrimitiveType.byName(null)).isEmpty();
    }

    @Test
    void namesFollowTheSpecification() {
        assertThat(Stream.of(PrimitiveType.values()).map(PrimitiveType::toscaName)).containsExactly(
                "string", "integer", "float", "boolean", "null", "timestamp", "version", "range",
                "scalar-unit.size", "scalar-unit.time", "scalar-unit.frequency", "scalar-unit.bitrate");
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(PrimitiveType.STRING, "abc", "abc"),
                Arguments.of(PrimitiveType.STRING, "", ""),
                Arguments.of(PrimitiveType.STRING, "42", "42"),
                Arguments.of(PrimitiveType.INTEGER, 42, 42L),
                Arguments.of(PrimitiveType.INTEGER, -7L, -7L),
                Arguments.of(PrimitiveType.INTEGER, BigInteger.valueOf(Long.MAX_VALUE), Long.MAX_VALUE),
                Arguments.of(PrimitiveType.INTEGER, BigInteger.valueOf(Long.MIN_VALUE), Long.MIN_VALUE),
                Arguments.of(PrimitiveType.FLOAT, 3.5, 3.5),
                Arguments.of(PrimitiveType.FLOAT, 3, 3.0),
                Arguments.of(PrimitiveType.FLOAT, 10_000_000_000L, 1e10),
                Arguments.of(PrimitiveType.FLOAT, new BigInteger("100000000000000000000"), 1e20),
                Arguments.of(PrimitiveType.FLOAT, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
                Arguments.of(PrimitiveType.BOOLEAN, true, true),
                Arguments.of(PrimitiveType.BOOLEAN, false, false));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void coercesValidValues(PrimitiveType type, Object raw, Object canonical) throws ValueException {
        assertThat(type.coerce(raw)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @MethodSource("valid")
    void coercingTwiceChangesNothing(PrimitiveType type, Object raw, Object canonical) throws ValueException {
        assertThat(type.coerce(type.coerce(raw))).isEqualTo(canonical);
    }

    @Test
    void nullAcceptsOnlyNull() throws ValueException {
        assertThat(PrimitiveType.NULL.coerce(null)).isNull();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(PrimitiveType.STRING, 3.1,
                        "expected a string, got the float 3.1 (quote it if you meant a string)"),
                Arguments.of(PrimitiveType.STRING, 42,
                        "expected a string, got the integer 42 (quote it if you meant a string)"),
                Arguments.of(PrimitiveType.STRING, true,
                        "expected a string, got the boolean true (quote it if you meant a string)"),
                Arguments.of(PrimitiveType.STRING, null, "expected a string, got null"),
                Arguments.of(PrimitiveType.STRING, List.of("a"), "expected a string, got the list [a]"),
                Arguments.of(PrimitiveType.STRING, Map.of("a", 1), "expected a string, got a map"),
                Arguments.of(PrimitiveType.INTEGER, "abc", "expected an integer, got the string \"abc\""),
                Arguments.of(PrimitiveType.INTEGER, "42",
                        "expected an integer, got the string \"42\" (remove the quotes if you meant a number)"),
                Arguments.of(PrimitiveType.INTEGER, 3.0, "expected an integer, got the float 3.0"),
                Arguments.of(PrimitiveType.INTEGER, true, "expected an integer, got the boolean true"),
                Arguments.of(PrimitiveType.INTEGER, null, "expected an integer, got null"),
                Arguments.of(PrimitiveType.INTEGER, new BigInteger("9223372036854775808"),
                        "expected an integer between -9223372036854775808 and 9223372036854775807,"
                                + " got 9223372036854775808"),
                Arguments.of(PrimitiveType.FLOAT, "1.5",
                        "expected a float, got the string \"1.5\" (remove the quotes if you meant a number)"),
                Arguments.of(PrimitiveType.FLOAT, "fast", "expected a float, got the string \"fast\""),
                Arguments.of(PrimitiveType.FLOAT, false, "expected a float, got the boolean false"),
                Arguments.of(PrimitiveType.FLOAT, BigInteger.TEN.pow(400),
                        "expected a float, got the integer " + BigInteger.TEN.pow(400) + ", which is too large"),
                Arguments.of(PrimitiveType.BOOLEAN, "true",
                        "expected a boolean, got the string \"true\" (remove the quotes)"),
                Arguments.of(PrimitiveType.BOOLEAN, "yes",
                        "expected a boolean, got the string \"yes\" (YAML 1.2 reads only true and false as booleans)"),
                Arguments.of(PrimitiveType.BOOLEAN, 1, "expected a boolean, got the integer 1"),
                Arguments.of(PrimitiveType.BOOLEAN, null, "expected a boolean, got null"),
                Arguments.of(PrimitiveType.NULL, "", "expected null, got the string \"\""),
                Arguments.of(PrimitiveType.NULL, 0, "expected null, got the integer 0"),
                Arguments.of(PrimitiveType.NULL, false, "expected null, got the boolean false"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidValues(PrimitiveType type, Object raw, String message) {
        assertThatThrownBy(() -> type.coerce(raw)).isInstanceOf(ValueException.class).hasMessage(message);
    }

    @Test
    void messagesEscapeAndShortenStrings() {
        assertThatThrownBy(() -> PrimitiveType.INTEGER.coerce("say \"hi\"\n"))
                .hasMessage("expected an integer, got the string \"say \\\"hi\\\"\\n\"");
        assertThatThrownBy(() -> PrimitiveType.INTEGER.coerce("x".repeat(100)))
                .hasMessage("expected an integer, got the string \"" + "x".repeat(80) + "\"…(100 characters)");
    }
}
