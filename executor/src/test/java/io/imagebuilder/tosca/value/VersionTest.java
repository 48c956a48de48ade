package io.imagebuilder.tosca.value;

import io.imagebuilder.problem.Quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.0             | 1 | 0 | 0 |      | 0 | 1.0",
            "2.10            | 2 | 10| 0 |      | 0 | 2.10",
            "1.2.3           | 1 | 2 | 3 |      | 0 | 1.2.3",
            "1.2.0           | 1 | 2 | 0 |      | 0 | 1.2",
            "1.0.2.beta      | 1 | 0 | 2 | beta | 0 | 1.0.2.beta",
            "1.0.2.beta-3    | 1 | 0 | 2 | beta | 3 | 1.0.2.beta-3",
            "1.0.0.RC1-0     | 1 | 0 | 0 | RC1  | 0 | 1.0.0.RC1",
            "01.002.0003     | 1 | 2 | 3 |      | 0 | 1.2.3",
    })
    void parsesAndNormalises(String text, int major, int minor, int fix, String qualifier, int build,
            String normalised) throws ValueException {
        Version version = Version.parse(text);
        assertThat(version).isEqualTo(new Version(major, minor, fix, qualifier, build));
        assertThat(version).hasToString(normalised);
        assertThat(Version.parse(version.toString())).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.", "1.0.", "v1.0", "1.0.2.", "1.0.beta", "1.0.2.beta-", "1.0.2.beta-x",
            "1.0.2.be_ta", "1.0.2.beta.4", "-1.0", "1.0 ", ""})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Version.parse(text))
                .isInstanceOf(ValueException.class)
                .hasMessage("expected a version such as \"1.0.2.beta-3\", got " + Quote.of(text));
    }

    @Test
    void rejectsHugeNumbers() {
        assertThatThrownBy(() -> Version.parse("1.99999999999"))
                .hasMessage("expected a version such as \"1.0.2.beta-3\", got \"1.99999999999\""
                        + " (a version number is too large)");
    }

    @Test
    void coercesTheNumbersYamlMakesOfUnquotedVersions() throws ValueException {
        assertThat(PrimitiveType.VERSION.coerce(2)).isEqualTo(new Version(2, 0, 0, null, 0));
        assertThat(PrimitiveType.VERSION.coerce(3L)).hasToString("3.0");
        assertThat(PrimitiveType.VERSION.coerce(1.0)).hasToString("1.0");
        assertThat(PrimitiveType.VERSION.coerce(1.5)).hasToString("1.5");
        assertThat(PrimitiveType.VERSION.coerce("1.0.2")).hasToString("1.0.2");
    }

    @Test
    void rejectsOtherRawValues() {
        String prefix = "expected a version such as \"1.0.2.beta-3\", got ";
        assertThatThrownBy(() -> PrimitiveType.VERSION.coerce(-1)).hasMessage(prefix + "the integer -1");
        assertThatThrownBy(() -> PrimitiveType.VERSION.coerce(-1.5)).hasMessage(prefix + "the float -1.5");
        assertThatThrownBy(() -> PrimitiveType.VERSION.coerce(1e10)).hasMessage(prefix + "the float 1.0E10");
        assertThatThrownBy(() -> PrimitiveType.VERSION.coerce(true)).hasMessage(prefix + "the boolean true");
        assertThatThrownBy(() -> PrimitiveType.VERSION.coerce(null)).hasMessage(prefix + "null");
        assertThatThrownBy(() -> PrimitiveType.VERSION.coerce(BigInteger.TEN.pow(20)))
                .hasMessage(prefix + "the integer 100000000000000000000");
    }

    @Test
    void ordersNumericallyThenByQualifierThenBuild() throws ValueException {
        List<String> ordered = List.of("0.9", "1.0", "1.0.1", "1.0.1.alpha", "1.0.1.alpha-2", "1.0.1.alpha-10",
                "1.0.1.beta", "1.2", "1.10", "2.0", "10.0");
        List<Version> shuffled = new ArrayList<>();
        for (String text : ordered) {
            shuffled.add(Version.parse(text));
        }
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(Version::toString).containsExactlyElementsOf(ordered);
    }

    @Test
    void anAbsentFixIsZero() throws ValueException {
        assertThat(Version.parse("2.0")).isEqualTo(Version.parse("2.0.0"));
        assertThat(Version.parse("2.0")).isEqualByComparingTo(Version.parse("2.0.0"));
    }

    @Test
    void constructorRefusesWhatTheTextCannotSay() {
        assertThatThrownBy(() -> new Version(-1, 0, 0, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Version(1, 0, 0, "be ta", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Version(1, 0, 0, null, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
