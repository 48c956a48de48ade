package io.imagebuilder.tosca.value;

import io.imagebuilder.problem.Quote;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parses "{@code <number> <unit>}" text into a {@link ScalarUnit}. */
final class ScalarUnits {
    private static final Pattern TEXT =
            Pattern.compile("\\s*(-?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*([A-Za-z]+)\\s*");

    private ScalarUnits() {
    }

    static ScalarUnit coerce(PrimitiveType kind, Object raw) throws ValueException {
        UnitFamily family = UnitFamily.of(kind);
        if (raw instanceof ScalarUnit unit && unit.kind() == kind) {
            return unit;
        }
        if (raw instanceof Number) {
            throw failure(family, raw, " (a unit is required; use one of " + family.symbols() + ")");
        }
        if (!(raw instanceof String text)) {
            throw failure(family, raw, "");
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw failure(family, raw, "");
        }
        if (!m.group(1).isEmpty()) {
            throw failure(family, raw, " (the amount must not be negative)");
        }
        String written = m.group(3);
        List<UnitFamily.Unit> units = family.matching(written);
        if (units.isEmpty()) {
            throw failure(family, raw, " (unknown unit " + Quote.of(written)
                    + "; use one of " + family.symbols() + ")");
        }
        if (units.size() > 1) {
            throw failure(family, raw, " (the unit " + Quote.of(written)
                    + " is ambiguous; write exactly one of "
                    + units.stream().map(UnitFamily.Unit::symbol).collect(Collectors.joining(", ")) + ")");
        }
        UnitFamily.Unit unit = units.get(0);
        BigDecimal amount = new BigDecimal(m.group(2));
        return new ScalarUnit(amount, unit.symbol(), kind, amount.multiply(unit.factor()));
    }

    static BigDecimal factor(PrimitiveType kind, String symbol) {
        List<UnitFamily.Unit> units = UnitFamily.of(kind).matching(symbol);
        if (units.size() != 1 || !units.get(0).symbol().equals(symbol)) {
            throw new IllegalArgumentException("\"" + symbol + "\" is not a unit of " + kind.toscaName());
        }
        return units.get(0).factor();
    }

    private static ValueException failure(UnitFamily family, Object raw, String detail) {
        return new ValueException("expected a " + family.type().toscaName() + " such as \""
                + family.example() + "\", got " + Describe.text(raw) + detail);
    }
}
