package io.imagebuilder.tosca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.imagebuilder.ImageBuilder;
import io.imagebuilder.plan.Plan;
import io.imagebuilder.plan.PlanPrinter;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden-file corpus under {@code src/test/resources/tosca}. Every directory directly below {@code valid/}
 * or {@code invalid/} is one case: a {@code template.yaml} (with the files it imports), an optional
 * {@code inputs.yaml}, and the expected result:
 * <ul>
 *   <li>{@code valid/<case>/expected-plan.txt}: the text plan, exactly as {@link PlanPrinter#text} prints it;</li>
 *   <li>{@code invalid/<case>/expected-problems.txt}: one {@code file:line:col: message} per problem, in the order
 *   they are reported, then a last line {@code phase: <phase>}.</li>
 * </ul>
 * The case directory is the working directory, so file names in problems are relative to it.
 * <p>
 * Run with {@code -Dcorpus.write=true} to write the actual result into expected files that do not exist yet
 * (existing ones are never overwritten); every written file must then be reviewed by hand. Without it, a case
 * with no expected file fails.
 */
class CorpusTest {

    private static final Path ROOT = Path.of("src", "test", "resources", "tosca");
    private static final int MINIMUM_CASES = 70;
    private static final String TEMPLATE = "template.yaml";
    private static final String INPUTS = "inputs.yaml";
    private static final String EXPECTED_PLAN = "expected-plan.txt";
    private static final String EXPECTED_PROBLEMS = "expected-problems.txt";

    static Stream<String> cases() throws IOException {
        List<String> cases = new ArrayList<>();
        for (String kind : List.of("valid", "invalid")) {
            Path dir = ROOT.resolve(kind);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(Files::isDirectory).map(p -> kind + "/" + p.getFileName()).sorted()
                        .forEach(cases::add);
            }
        }
        assertThat(cases).as("golden-file cases under %s", ROOT.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(
                MINIMUM_CASES);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenFile(String name) {
        Path caseDir = ROOT.resolve(name);
        boolean valid = name.startsWith("valid/");
        assertThat(caseDir.resolve(TEMPLATE)).as("the template of case %s", name).isRegularFile();
        List<Path> inputs = Files.isRegularFile(caseDir.resolve(INPUTS)) ? List.of(caseDir.resolve(INPUTS))
                : List.of();

        String actual;
        try {
            Plan plan = new ImageBuilder(caseDir).plan(caseDir.resolve(TEMPLATE), inputs);
            actual = PlanPrinter.text(plan);
            if (!valid) fail("case %s should be invalid, but it gives a plan:%n%s", name, actual);
        } catch (InvalidInputException e) {
            actual = problems(e);
            if (valid) fail("case %s should be valid, but it is not:%n%s", name, actual);
        }

        Path expectedFile = caseDir.resolve(valid ? EXPECTED_PLAN : EXPECTED_PROBLEMS);
        if (!Files.exists(expectedFile)) {
            if (Boolean.getBoolean("corpus.write")) {
                write(expectedFile, actual);
                return;
            }
            fail("case %s has no %s (run with -Dcorpus.write=true to write it, then review it); actual:%n%s",
                    name, expectedFile.getFileName(), actual);
        }
        assertThat(actual).as("case %s", name).isEqualTo(read(expectedFile));
    }

    private static String problems(InvalidInputException e) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : e.problems()) sb.append(p).append('\n');
        return sb.append("phase: ").append(e.phase()).append('\n').toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
