package io.imagebuilder.tosca.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalarUnitTest {

    private static ScalarUnit scalar(PrimitiveType kind, String text) throws ValueException {
        return (ScalarUnit) kind.coerce(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "scalar-unit.size      | 10 B       | 10                | 10 B",
            "scalar-unit.size      | 1 kB       | 1000              | 1 kB",
            "scalar-unit.size      | 1 KiB      | 1024              | 1 KiB",
            "scalar-unit.size      | 2 MB       | 2000000           | 2 MB",
            "scalar-unit.size      | 1 MiB      | 1048576           | 1 MiB",
            "scalar-unit.size      | 2.0 GiB    | 2147483648        | 2 GiB",
            "scalar-unit.size      | 1 GB       | 1000000000        | 1 GB",
            "scalar-unit.size      | 1 TB       | 1000000000000     | 1 TB",
            "scalar-unit.size      | 1 TiB      | 1099511627776     | 1 TiB",
            "scalar-unit.size      | 4gib       | 4294967296        | 4 GiB",
            "scalar-unit.size      | 0.5 kb     | 500               | 0.5 kB",
            "scalar-unit.size      | '  3   mb ' | 3000000          | 3 MB",
            "scalar-unit.time      | 1 d        | 86400             | 1 d",
            "scalar-unit.time      | 2 h        | 7200              | 2 h",
            "scalar-unit.time      | 1.5 m      | 90                | 1.5 m",
            "scalar-unit.time      | 90 S       | 90                | 90 s",
            "scalar-unit.time      | 250 ms     | 0.25              | 250 ms",
            "scalar-unit.time      | 3 us       | 0.000003          | 3 us",
            "scalar-unit.time      | 7 ns       | 0.000000007       | 7 ns",
            "scalar-unit.time      | .5 s       | 0.5               | 0.5 s",
            "scalar-unit.frequency | 50 Hz      | 50                | 50 Hz",
            "scalar-unit.frequency | 1 kHz      | 1000              | 1 kHz",
            "scalar-unit.frequency | 2.4 ghz    | 2400000000        | 2.4 GHz",
            "scalar-unit.frequency | 3 MHZ      | 3000000           | 3 MHz",
            "scalar-unit.bitrate   | 100 bps    | 100               | 100 bps",
            "scalar-unit.bitrate   | 1 Bps      | 8                 | 1 Bps",
            "scalar-unit.bitrate   | 1 Kbps     | 1000              | 1 Kbps",
            "scalar-unit.bitrate   | 1 KBps     | 8000              | 1 KBps",
            "scalar-unit.bitrate   | 1 Kibps    | 1024              | 1 Kibps",
            "scalar-unit.bitrate   | 1 KiBps    | 8192              | 1 KiBps",
            "scalar-unit.bitrate   | 100 Mbps   | 100000000         | 100 Mbps",
            "scalar-unit.bitrate   | 1 MiBps    | 8388608           | 1 MiBps",
            "scalar-unit.bitrate   | 1 Gibps    | 1073741824        | 1 Gibps",
            "scalar-unit.bitrate   | 1 GBps     | 8000000000        | 1 GBps",
            "scalar-unit.bitrate   | 1 Tbps     | 1000000000000     | 1 Tbps",
            "scalar-unit.bitrate   | 1 TiBps    | 8796093022208     | 1 TiBps",
    })
    void convertsToBaseUnits(String kindName, String text, BigDecimal base, String normalised)
            throws ValueException {
        PrimitiveType kind = PrimitiveType.byName(kindName).orElseThrow();
        ScalarUnit value = scalar(kind, text);
        assertThat(value.kind()).isEqualTo(kind);
        assertThat(value.base()).isEqualByComparingTo(base);
        assertThat(value).hasToString(normalised);
    }

    @Test
    void comparesAcrossUnits() throws ValueException {
        assertThat(scalar(PrimitiveType.SIZE, "1 GiB")).isGreaterThan(scalar(PrimitiveType.SIZE, "1000 MB"));
        assertThat(scalar(PrimitiveType.SIZE, "1 KiB")).isGreaterThan(scalar(PrimitiveType.SIZE, "1 kB"));
        assertThat(scalar(PrimitiveType.TIME, "90 s")).isEqualByComparingTo(scalar(PrimitiveType.TIME, "1.5 m"));
        assertThat(scalar(PrimitiveType.TIME, "1 d")).isGreaterThan(scalar(PrimitiveType.TIME, "23 h"));
        assertThat(scalar(PrimitiveType.TIME, "999 us")).isLessThan(scalar(PrimitiveType.TIME, "1 ms"));
        assertThat(scalar(PrimitiveType.FREQUENCY, "1 GHz"))
                .isEqualByComparingTo(scalar(PrimitiveType.FREQUENCY, "1000 MHz"));
        assertThat(scalar(PrimitiveType.BITRATE, "1 MBps"))
                .isEqualByComparingTo(scalar(PrimitiveType.BITRATE, "8 Mbps"));
        assertThat(scalar(PrimitiveType.BITRATE, "1 Bps")).isGreaterThan(scalar(PrimitiveType.BITRATE, "7 bps"));
    }

    @Test
    void equalityKeepsTheWrittenUnitButIgnoresTrailingZeros() throws ValueException {
        assertThat(scalar(PrimitiveType.SIZE, "2.0 GiB")).isEqualTo(scalar(PrimitiveType.SIZE, "2 gib"));
        assertThat(scalar(PrimitiveType.TIME, "90 s")).isNotEqualTo(scalar(PrimitiveType.TIME, "1.5 m"));
        assertThat(scalar(PrimitiveType.SIZE, "100 B")).hasToString("100 B");
    }

    @Test
    void refusesToCompareDifferentKinds() throws ValueException {
        ScalarUnit size = scalar(PrimitiveType.SIZE, "1 B");
        ScalarUnit time = scalar(PrimitiveType.TIME, "1 s");
        assertThatThrownBy(() -> size.compareTo(time)).isInstanceOf(ClassCastException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "scalar-unit.size | '4 parsecs' | '\"4 parsecs\" (unknown unit \"parsecs\"; use one of B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)'",
            "scalar-unit.size | '-1 GB'     | '\"-1 GB\" (the amount must not be negative)'",
            "scalar-unit.size | 'GB'        | '\"GB\"'",
            "scalar-unit.size | '4'         | '\"4\"'",
            "scalar-unit.size | '1e3 B'     | '\"1e3 B\"'",
            "scalar-unit.size | '1,5 GB'    | '\"1,5 GB\"'",
            "scalar-unit.size | '4 GiB/s'   | '\"4 GiB/s\"'",
            "scalar-unit.time | '10 min'    | '\"10 min\" (unknown unit \"min\"; use one of d, h, m, s, ms, us, ns)'",
            "scalar-unit.frequency | '5 rpm' | '\"5 rpm\" (unknown unit \"rpm\"; use one of Hz, kHz, MHz, GHz)'",
            "scalar-unit.bitrate | '1 parsecs' | '\"1 parsecs\" (unknown unit \"parsecs\"; use one of bps, Kbps, Kibps, Mbps, Mibps, Gbps, Gibps, Tbps, Tibps, Bps, KBps, KiBps, MBps, MiBps, GBps, GiBps, TBps, TiBps)'",
            "scalar-unit.bitrate | '1 kbps' | '\"1 kbps\" (the unit \"kbps\" is ambiguous; write exactly one of Kbps, KBps)'",
            "scalar-unit.bitrate | '1 MBPS' | '\"1 MBPS\" (the unit \"MBPS\" is ambiguous; write exactly one of Mbps, MBps)'",
            "scalar-unit.bitrate | '1 BPS'  | '\"1 BPS\" (the unit \"BPS\" is ambiguous; write exactly one of bps, Bps)'",
            "scalar-unit.bitrate | '1 kibps' | '\"1 kibps\" (the unit \"kibps\" is ambiguous; write exactly one of Kibps, KiBps)'",
    })
    void rejectsMalformedText(String kindName, String text, String found) {
        PrimitiveType kind = PrimitiveType.byName(kindName).orElseThrow();
        String example = UnitFamily.of(kind).example();
        assertThatThrownBy(() -> kind.coerce(text))
                .isInstanceOf(ValueException.class)
                .hasMessage("expected a " + kindName + " such as \"" + example + "\", got " + found);
    }

    @Test
    void rejectsNonStrings() {
        assertThatThrownBy(() -> PrimitiveType.SIZE.coerce(4096)).hasMessage(
                "expected a scalar-unit.size such as \"4 GiB\", got the integer 4096"
                        + " (a unit is required; use one of B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)");
        assertThatThrownBy(() -> PrimitiveType.TIME.coerce(true))
                .hasMessage("expected a scalar-unit.time such as \"30 s\", got the boolean true");
        assertThatThrownBy(() -> PrimitiveType.FREQUENCY.coerce(null))
                .hasMessage("expected a scalar-unit.frequency such as \"2.4 GHz\", got null");
    }

    @Test
    void rejectsAScalarOfAnotherKind() throws ValueException {
        Object time = PrimitiveType.TIME.coerce("30 s");
        assertThatThrownBy(() -> PrimitiveType.SIZE.coerce(time))
                .hasMessage("expected a scalar-unit.size such as \"4 GiB\", got the scalar-unit.time 30 s");
    }

    @Test
    void constructorChecksConsistency() {
        assertThat(new ScalarUnit(BigDecimal.ONE, "KiB", PrimitiveType.SIZE, BigDecimal.valueOf(1024)))
                .hasToString("1 KiB");
        assertThatThrownBy(() -> new ScalarUnit(BigDecimal.ONE, "KiB", PrimitiveType.SIZE, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScalarUnit(BigDecimal.ONE, "s", PrimitiveType.SIZE, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScalarUnit(BigDecimal.ONE, "s", PrimitiveType.INTEGER, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
