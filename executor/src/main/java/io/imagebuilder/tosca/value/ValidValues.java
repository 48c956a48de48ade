package io.imagebuilder.tosca.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The "valid_values" clause. */
record ValidValues(List<Object> values) implements Constraint {
    ValidValues {
        // Canonical values may be null (the null type), which List.copyOf refuses.
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    @Override
    public String operator() {
        return "valid_values";
    }

    @Override
    public String check(Object canonicalValue) {
        for (Object value : values) {
            if (Ordering.same(canonicalValue, value)) {
                return null;
            }
        }
        return "must be one of " + values;
    }
}
