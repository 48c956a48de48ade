package io.imagebuilder.tosca.syntax;

/** A requirement's or capability's [lower, upper] bounds; {@link #UNBOUNDED} has no upper limit. */
public record Occurrences(long lower, long upper) {

    public static final long UNBOUNDED = Long.MAX_VALUE;
    public static final Occurrences EXACTLY_ONE = new Occurrences(1, 1);
    public static final Occurrences ANY = new Occurrences(0, UNBOUNDED);

    public boolean allows(long count) {
        return count >= lower && count <= upper;
    }

    @Override
    public String toString() {
        return "[" + lower + ", " + (upper == UNBOUNDED ? "UNBOUNDED" : String.valueOf(upper)) + "]";
    }
}
