package io.imagebuilder.tosca.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/** Coercion of the plain YAML scalars: string, integer, float, boolean and null. */
final class Primitives {
    private static final String QUOTE_HINT = " (quote it if you meant a string)";

    private Primitives() {
    }

    static String string(Object raw) throws ValueException {
        if (raw instanceof String s) {
            return s;
        }
        // YAML turns unquoted 1.0, 42 or true into non-strings; the author usually meant text.
        boolean unquotedScalar = raw instanceof Number || raw instanceof Boolean;
        throw new ValueException("expected a string, got " + Describe.value(raw)
                + (unquotedScalar ? QUOTE_HINT : ""));
    }

    static Long integer(Object raw) throws ValueException {
        if (Describe.isInteger(raw)) {
            Optional<Long> exact = exactLong(raw);
            if (exact.isPresent()) {
                return exact.get();
            }
            throw new ValueException("expected an integer between " + Long.MIN_VALUE + " and "
                    + Long.MAX_VALUE + ", got " + raw);
        }
        throw new ValueException("expected an integer, got " + Describe.value(raw) + numberHint(raw));
    }

    static Double floating(Object raw) throws ValueException {
        if (raw instanceof Double d) {
            return d;
        }
        if (raw instanceof Float f) {
            return f.doubleValue();
        }
        if (Describe.isInteger(raw)) {
            double d = new BigDecimal(raw.toString()).doubleValue();
            if (Double.isInfinite(d)) {
                throw new ValueException("expected a float, got " + Describe.value(raw)
                        + ", which is too large");
            }
            return d;
        }
        throw new ValueException("expected a float, got " + Describe.value(raw) + numberHint(raw));
    }

    static Boolean bool(Object raw) throws ValueException {
        if (raw instanceof Boolean b) {
            return b;
        }
        String hint = "";
        if (raw instanceof String s) {
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                hint = " (remove the quotes)";
            } else if (s.matches("(?i)yes|no|on|off|y|n")) {
                hint = " (YAML 1.2 reads only true and false as booleans)";
            }
        }
        throw new ValueException("expected a boolean, got " + Describe.value(raw) + hint);
    }

    static Object nothing(Object raw) throws ValueException {
        if (raw == null) {
            return null;
        }
        throw new ValueException("expected null, got " + Describe.value(raw));
    }

    /** The value as a long when it is a YAML integer that fits in 64 bits. */
    static Optional<Long> exactLong(Object raw) {
        if (raw instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? Optional.of(big.longValue()) : Optional.empty();
        }
        if (Describe.isInteger(raw)) {
            return Optional.of(((Number) raw).longValue());
        }
        return Optional.empty();
    }

    private static String numberHint(Object raw) {
        if (raw instanceof String s && looksNumeric(s)) {
            return " (remove the quotes if you meant a number)";
        }
        return "";
    }

    private static boolean looksNumeric(String s) {
        try {
            new BigDecimal(s.trim());
            return !s.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
