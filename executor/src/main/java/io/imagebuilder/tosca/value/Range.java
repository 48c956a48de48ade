package io.imagebuilder.tosca.value;

import java.util.List;
import java.util.Optional;

/** A TOSCA range of integers, both bounds inclusive; an unbounded upper end is {@link #UNBOUNDED}. */
public record Range(long lower, long upper) {
    /** The upper bound that stands for the TOSCA keyword UNBOUNDED. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    static final String KEYWORD = "UNBOUNDED";
    static final String EXAMPLE = "[1, UNBOUNDED]";

    public Range {
        if (lower > upper) {
            throw new IllegalArgumentException(
                    "the lower bound " + lower + " is greater than the upper bound " + upper);
        }
    }

    public boolean contains(long value) {
        return lower <= value && value <= upper;
    }

    public boolean isUnbounded() {
        return upper == UNBOUNDED;
    }

    @Override
    public String toString() {
        return "[" + lower + ", " + (isUnbounded() ? KEYWORD : Long.toString(upper)) + "]";
    }

    static Range coerce(Object raw) throws ValueException {
        if (raw instanceof Range range) {
            return range;
        }
        if (!(raw instanceof List<?> list) || list.size() != 2) {
            throw failure(raw, "");
        }
        Optional<Long> lower = Primitives.exactLong(list.get(0));
        if (lower.isEmpty()) {
            throw failure(raw, " (the lower bound must be an integer)");
        }
        Optional<Long> upper = KEYWORD.equals(list.get(1))
                ? Optional.of(UNBOUNDED)
                : Primitives.exactLong(list.get(1));
        if (upper.isEmpty()) {
            throw failure(raw, " (the upper bound must be an integer or " + KEYWORD + ")");
        }
        if (lower.get() > upper.get()) {
            throw failure(raw, " (the lower bound " + lower.get()
                    + " is greater than the upper bound " + upper.get() + ")");
        }
        return new Range(lower.get(), upper.get());
    }

    private static ValueException failure(Object raw, String detail) {
        return new ValueException("expected a range such as " + EXAMPLE + ", got "
                + Describe.value(raw) + detail);
    }
}
