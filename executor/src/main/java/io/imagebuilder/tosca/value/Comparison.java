package io.imagebuilder.tosca.value;

/** One of the clauses greater_than, greater_or_equal, less_than and less_or_equal. */
record Comparison(Relation relation, Object limit) implements Constraint {

    enum Relation {
        GREATER_THAN("greater_than", "greater than"),
        GREATER_OR_EQUAL("greater_or_equal", "greater than or equal to"),
        LESS_THAN("less_than", "less than"),
        LESS_OR_EQUAL("less_or_equal", "less than or equal to");

        private final String keyword;
        private final String phrase;

        Relation(String keyword, String phrase) {
            this.keyword = keyword;
            this.phrase = phrase;
        }

        String keyword() {
            return keyword;
        }

        boolean holds(int order) {
            return switch (this) {
                case GREATER_THAN -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
                case LESS_THAN -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
            };
        }
    }

    @Override
    public String operator() {
        return relation.keyword;
    }

    @Override
    public String check(Object canonicalValue) {
        Integer order = Ordering.compare(canonicalValue, limit);
        return order != null && relation.holds(order) ? null : "must be " + relation.phrase + " " + limit;
    }
}
