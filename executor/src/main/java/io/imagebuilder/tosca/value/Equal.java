package io.imagebuilder.tosca.value;

/** The "equal" clause. */
record Equal(Object value) implements Constraint {
    @Override
    public String operator() {
        return "equal";
    }

    @Override
    public String check(Object canonicalValue) {
        return Ordering.same(canonicalValue, value) ? null : "must be equal to " + value;
    }
}
