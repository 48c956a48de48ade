package io.imagebuilder.tosca.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/** The units of each scalar-unit type and their factors to the base unit. */
enum UnitFamily {
    SIZE(PrimitiveType.SIZE, "4 GiB", List.of(
            unit("B", BigDecimal.ONE),
            unit("kB", decimal(3)), unit("KiB", binary(10)),
            unit("MB", decimal(6)), unit("MiB", binary(20)),
            unit("GB", decimal(9)), unit("GiB", binary(30)),
            unit("TB", decimal(12)), unit("TiB", binary(40)))),
    TIME(PrimitiveType.TIME, "30 s", List.of(
            unit("d", BigDecimal.valueOf(86_400)),
            unit("h", BigDecimal.valueOf(3_600)),
            unit("m", BigDecimal.valueOf(60)),
            unit("s", BigDecimal.ONE),
            unit("ms", decimal(-3)),
            unit("us", decimal(-6)),
            unit("ns", decimal(-9)))),
    FREQUENCY(PrimitiveType.FREQUENCY, "2.4 GHz", List.of(
            unit("Hz", BigDecimal.ONE),
            unit("kHz", decimal(3)),
            unit("MHz", decimal(6)),
            unit("GHz", decimal(9)))),
    BITRATE(PrimitiveType.BITRATE, "100 Mbps", List.of(
            unit("bps", BigDecimal.ONE),
            unit("Kbps", decimal(3)), unit("Kibps", binary(10)),
            unit("Mbps", decimal(6)), unit("Mibps", binary(20)),
            unit("Gbps", decimal(9)), unit("Gibps", binary(30)),
            unit("Tbps", decimal(12)), unit("Tibps", binary(40)),
            unit("Bps", bytes(BigDecimal.ONE)),
            unit("KBps", bytes(decimal(3))), unit("KiBps", bytes(binary(10))),
            unit("MBps", bytes(decimal(6))), unit("MiBps", bytes(binary(20))),
            unit("GBps", bytes(decimal(9))), unit("GiBps", bytes(binary(30))),
            unit("TBps", bytes(decimal(12))), unit("TiBps", bytes(binary(40)))));

    record Unit(String symbol, BigDecimal factor) {
    }

    private final PrimitiveType type;
    private final String example;
    private final List<Unit> units;

    UnitFamily(PrimitiveType type, String example, List<Unit> units) {
        this.type = type;
        this.example = example;
        this.units = units;
    }

    static UnitFamily of(PrimitiveType type) {
        for (UnitFamily family : values()) {
            if (family.type == type) {
                return family;
            }
        }
        throw new IllegalArgumentException(type.toscaName() + " is not a scalar-unit type");
    }

    PrimitiveType type() {
        return type;
    }

    String example() {
        return example;
    }

    String symbols() {
        return units.stream().map(Unit::symbol).collect(Collectors.joining(", "));
    }

    /**
     * Units that the written symbol may mean. TOSCA units are case-insensitive, but for bitrates
     * case tells bits from bytes, so an exact spelling wins and a case-insensitive one is only
     * trusted when it names a single unit. More than one result means the symbol is ambiguous.
     */
    List<Unit> matching(String written) {
        for (Unit unit : units) {
            if (unit.symbol().equals(written)) {
                return List.of(unit);
            }
        }
        return units.stream().filter(unit -> unit.symbol().equalsIgnoreCase(written)).toList();
    }

    private static Unit unit(String symbol, BigDecimal factor) {
        return new Unit(symbol, factor);
    }

    private static BigDecimal decimal(int exponent) {
        return BigDecimal.ONE.scaleByPowerOfTen(exponent);
    }

    private static BigDecimal binary(int exponent) {
        return new BigDecimal(BigInteger.ONE.shiftLeft(exponent));
    }

    private static BigDecimal bytes(BigDecimal factor) {
        return factor.multiply(BigDecimal.valueOf(8));
    }
}
