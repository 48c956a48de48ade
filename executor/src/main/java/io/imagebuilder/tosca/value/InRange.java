package io.imagebuilder.tosca.value;

/** The "in_range" clause; a null upper bound stands for UNBOUNDED. */
record InRange(Object lower, Object upper) implements Constraint {
    @Override
    public String operator() {
        return "in_range";
    }

    @Override
    public String check(Object canonicalValue) {
        if (canonicalValue instanceof Range r) {
            // a range value is in range when both of its bounds are
            boolean inside = check(r.lower()) == null && (r.isUnbounded() ? upper == null : check(r.upper()) == null);
            return inside ? null : "must lie within " + bounds();
        }
        Integer fromLower = Ordering.compare(canonicalValue, lower);
        Integer fromUpper = upper == null ? Integer.valueOf(-1) : Ordering.compare(canonicalValue, upper);
        boolean inside = fromLower != null && fromLower >= 0 && fromUpper != null && fromUpper <= 0;
        return inside ? null : "must be in the range " + bounds();
    }

    private String bounds() {
        return "[" + lower + ", " + (upper == null ? Range.KEYWORD : upper) + "]";
    }
}
