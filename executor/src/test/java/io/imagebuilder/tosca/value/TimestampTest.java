package io.imagebuilder.tosca.value;

import io.imagebuilder.problem.Quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2001-12-14t21:59:43.10-05:00 | 2001-12-15T02:59:43.100Z",
            "2001-12-14 21:59:43.10 -5    | 2001-12-15T02:59:43.100Z",
            "2001-12-15T02:59:43.1Z       | 2001-12-15T02:59:43.100Z",
            "2001-12-15 2:59:43.10        | 2001-12-15T02:59:43.100Z",
            "2002-12-14                   | 2002-12-14T00:00:00Z",
            "2001-12-14T21:59:43+05:30    | 2001-12-14T16:29:43Z",
            "2001-1-2T03:04:05            | 2001-01-02T03:04:05Z",
            "2001-12-14T21:59:43 Z        | 2001-12-14T21:59:43Z",
            "2001-12-14T21:59:43.         | 2001-12-14T21:59:43Z",
            "2001-12-14T21:59:43.123456789123 | 2001-12-14T21:59:43.123456789Z",
    })
    void parsesYamlTimestamps(String text, String expected) throws ValueException {
        assertThat(PrimitiveType.TIMESTAMP.coerce(text)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void differentZonesDenoteTheSameInstant() throws ValueException {
        assertThat(PrimitiveType.TIMESTAMP.coerce("2001-12-14t21:59:43.10-05:00"))
                .isEqualTo(PrimitiveType.TIMESTAMP.coerce("2001-12-15T02:59:43.1Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2001-12-14T", "2002-1-2", "01-12-14", "2001-12-14T21:59",
            "2001-12-14T21:59:43.1+", " 2002-12-14", "2001-12-14T21:59:43 CET"})
    void rejectsOtherText(String text) {
        assertThatThrownBy(() -> PrimitiveType.TIMESTAMP.coerce(text))
                .isInstanceOf(ValueException.class)
                .hasMessage("expected a timestamp such as \"2001-12-14T21:59:43.10-05:00\", got "
                        + Quote.of(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001-02-30", "2001-13-01", "2001-12-14T24:00:00", "2001-12-14T21:60:00",
            "2001-12-14T21:59:43+19"})
    void rejectsImpossibleDatesTimesAndZones(String text) {
        assertThatThrownBy(() -> PrimitiveType.TIMESTAMP.coerce(text))
                .hasMessage("expected a timestamp such as \"2001-12-14T21:59:43.10-05:00\", got \""
                        + text + "\" (no such date, time or time zone)");
    }

    @Test
    void rejectsNonStrings() {
        assertThatThrownBy(() -> PrimitiveType.TIMESTAMP.coerce(20011214))
                .hasMessage("expected a timestamp such as \"2001-12-14T21:59:43.10-05:00\", got the integer 20011214");
    }
}
