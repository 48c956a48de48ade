package io.imagebuilder.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagebuilder.yaml.YScalar;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void collectsEveryProblemSortedByFileAndPosition() {
        Problems problems = new Problems();
        problems.add(Location.of("b.yaml", 1, 1), "third");
        problems.add(Location.of("a.yaml", 10, 2), "second");
        problems.add(Location.of("a.yaml", 2, 30), "first");
        problems.add(YScalar.of("x", Location.of("a.yaml", 10, 1)), "between");
        assertThat(problems.size()).isEqualTo(4);
        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly(
                "a.yaml:2:30: first", "a.yaml:10:1: between", "a.yaml:10:2: second", "b.yaml:1:1: third");
    }

    @Test
    void theSameProblemIsReportedOnce() {
        Problems problems = new Problems();
        problems.add(Location.of("a.yaml", 1, 1), "same");
        problems.add(Location.of("a.yaml", 1, 1), "same");
        assertThat(problems.size()).isEqualTo(1);
    }

    @Test
    void wholeFileProblemsHaveNoPosition() {
        assertThat(Problem.at(Location.file("gone.yaml"), "file not found")).hasToString("gone.yaml: file not found");
    }

    @Test
    void throwIfAnyNamesThePhaseAndListsEveryProblem() {
        Problems problems = new Problems();
        problems.throwIfAny("reading"); // nothing to report
        problems.add(Location.of("t.yaml", 3, 4), "bad value");
        problems.add(Location.of("t.yaml", 1, 2), "bad key");
        assertThatThrownBy(() -> problems.throwIfAny("resolving type hierarchies"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.phase()).isEqualTo("resolving type hierarchies");
                    assertThat(e.problems()).extracting(Problem::toString)
                            .containsExactly("t.yaml:1:2: bad key", "t.yaml:3:4: bad value");
                    assertThat(e.getMessage()).isEqualTo("2 problems found while resolving type hierarchies:\n"
                            + "t.yaml:1:2: bad key\nt.yaml:3:4: bad value");
                });
    }

    @Test
    void singleProblemMessageIsSingular() {
        InvalidInputException e = new InvalidInputException("reading",
                List.of(Problem.at(Location.file("x.yaml"), "the file is empty")));
        assertThat(e.getMessage()).isEqualTo("1 problem found while reading:\nx.yaml: the file is empty");
    }

    @Test
    void suggestsCloseNames() {
        assertThat(Suggestions.didYouMean("Compte", List.of("Compute", "Container"))).isEqualTo("; did you mean \"Compute\"?");
        assertThat(Suggestions.didYouMean("docker_hots", List.of("docker_host", "docker_client")))
                .isEqualTo("; did you mean \"docker_host\"?");
        assertThat(Suggestions.didYouMean("completely_else", List.of("docker_host"))).isEmpty();
        assertThat(Suggestions.didYouMean("x", List.of())).isEmpty();
    }
}
