package io.imagebuilder.tosca.value;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in a unit of a scalar-unit type, with {@code base} the same quantity in bytes, seconds,
 * hertz or bits per second. Ordered by {@code base}, so "90 s" and "1.5 m" compare as equal even
 * though, keeping what was written, they are not {@code equals}.
 */
public record ScalarUnit(BigDecimal amount, String unit, PrimitiveType kind, BigDecimal base)
        implements Comparable<ScalarUnit> {

    public ScalarUnit {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(base, "base");
        if (!kind.isScalarUnit()) {
            throw new IllegalArgumentException(kind.toscaName() + " is not a scalar-unit type");
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("a scalar-unit amount must not be negative: " + amount);
        }
        if (base.compareTo(amount.multiply(ScalarUnits.factor(kind, unit))) != 0) {
            throw new IllegalArgumentException(base + " is not " + amount + " " + unit + " in base units");
        }
        // Stripped so that "2 GiB" and "2.0 GiB" are the same record.
        amount = amount.stripTrailingZeros();
        base = base.stripTrailingZeros();
    }

    @Override
    public int compareTo(ScalarUnit other) {
        if (kind != other.kind) {
            throw new ClassCastException(
                    "cannot compare a " + kind.toscaName() + " with a " + other.kind.toscaName());
        }
        return base.compareTo(other.base);
    }

    /** The normalised text, e.g. "2 GiB". */
    @Override
    public String toString() {
        return amount.toPlainString() + " " + unit;
    }
}
