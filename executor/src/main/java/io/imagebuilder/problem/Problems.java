package io.imagebuilder.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects problems so a phase can report all of them instead of stopping at the first. */
public final class Problems {

    private static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> p.location().file())
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column())
            .thenComparing(Problem::message);

    private final Set<Problem> problems = new LinkedHashSet<>();

    public void add(Location location, String message) {
        problems.add(new Problem(location, message));
    }

    public void add(Located where, String message) {
        add(where.location(), message);
    }

    public void addAll(Problems other) {
        problems.addAll(other.problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** Sorted by file and position, so output is stable and reads top to bottom. */
    public List<Problem> sorted() {
        List<Problem> out = new ArrayList<>(problems);
        out.sort(ORDER);
        return out;
    }

    /** Ends a phase: the next phase cannot trust a model with problems in it. */
    public void throwIfAny(String phase) {
        if (!problems.isEmpty()) throw new InvalidInputException(phase, sorted());
    }
}
