package io.imagebuilder.problem;

import java.util.List;
import java.util.stream.Collectors;

/** The user's templates or inputs are wrong; nothing has been run. */
public final class InvalidInputException extends RuntimeException {

    private final String phase;
    private final List<Problem> problems;

    public InvalidInputException(String phase, List<Problem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found while " + phase + ":\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.phase = phase;
        this.problems = List.copyOf(problems);
    }

    public String phase() {
        return phase;
    }

    public List<Problem> problems() {
        return problems;
    }
}
