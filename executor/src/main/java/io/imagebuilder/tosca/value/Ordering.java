package io.imagebuilder.tosca.value;

import java.util.Objects;

/** Compares canonical values for constraints. */
final class Ordering {
    private Ordering() {
    }

    /**
     * Whether values like this one can be ordered. Booleans are Comparable in Java, but TOSCA has
     * no order on them, so "greater_than: false" is refused.
     */
    static boolean orderable(Object value) {
        return value instanceof Comparable && !(value instanceof Boolean);
    }

    /** The sign of a compared with b, or null when the two cannot be ordered against each other. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Integer compare(Object a, Object b) {
        if (!orderable(a) || !orderable(b) || a.getClass() != b.getClass()) {
            return null;
        }
        if (a instanceof ScalarUnit x && b instanceof ScalarUnit y && x.kind() != y.kind()) {
            return null;
        }
        return Integer.signum(((Comparable) a).compareTo(b));
    }

    /** Equality by order where there is one, so "90 s" equals "1.5 m"; else by equals. */
    static boolean same(Object a, Object b) {
        Integer order = compare(a, b);
        return order != null ? order == 0 : Objects.equals(a, b);
    }
}
