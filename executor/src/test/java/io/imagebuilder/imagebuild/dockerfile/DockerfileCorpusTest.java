package io.imagebuilder.imagebuild.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world-shaped Dockerfiles under {@code corpus/<name>/}: each {@code Dockerfile} must come back unchanged
 * (with LF and with CRLF line endings), give the stages and global ARGs in {@code expected-stages.txt}, and take a
 * new base for any of its stages by changing that stage's image and nothing else (stages built on an earlier stage
 * refuse one).
 */
class DockerfileCorpusTest {

    private static final String NEW_BASE = "registry.example.com:5000/variants/base:1.0";

    static Stream<String> corpus() {
        return Golden.cases("corpus", 15);
    }

    private static String text(String name) {
        return Golden.read(Golden.ROOT.resolve("corpus").resolve(name), "Dockerfile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void roundTripsUnchanged(String name) throws DockerfileException {
        String text = text(name);
        assertThat(Dockerfile.parse(text).text()).isEqualTo(text);
        String crlf = Golden.crlf(text);
        assertThat(Dockerfile.parse(crlf).text()).isEqualTo(crlf);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void givesTheExpectedStages(String name) throws DockerfileException {
        Path caseDir = Golden.ROOT.resolve("corpus").resolve(name);
        Dockerfile dockerfile = Dockerfile.parse(text(name));
        assertThat(summary(dockerfile)).isEqualTo(Golden.read(caseDir, "expected-stages.txt"));
        assertThat(summary(Dockerfile.parse(Golden.crlf(text(name))))).isEqualTo(summary(dockerfile));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void newBaseChangesOnlyTheImageOfTheChosenStage(String name) throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse(text(name));
        assertOnlyImageChanged(dockerfile, dockerfile.withBase(null, NEW_BASE), 0);
        for (Stage stage : dockerfile.stages()) {
            if (stage.name() == null) continue;
            if (basedOnEarlierStage(dockerfile, stage)) {
                assertThatThrownBy(() -> dockerfile.withBase(stage.name(), NEW_BASE))
                        .isInstanceOf(DockerfileException.class).hasMessageContaining("not on an image");
            } else {
                assertOnlyImageChanged(dockerfile, dockerfile.withBase(stage.name(), NEW_BASE), stage.index());
            }
        }
    }

    private static void assertOnlyImageChanged(Dockerfile before, Dockerfile after, int index) {
        List<Stage> expected = new ArrayList<>(before.stages());
        Stage old = expected.get(index);
        expected.set(index, new Stage(index, NEW_BASE, old.name(), old.platformFlag(), old.line()));
        assertThat(after.stages()).isEqualTo(expected);
        assertThat(after.globalArgs()).isEqualTo(before.globalArgs());
        // The new text is the old one with one occurrence of the image, at or after the FROM's line, replaced.
        String text = before.text();
        int fromLineStart = lineStart(text, old.line());
        boolean oneWordReplaced = false;
        for (int at = text.indexOf(old.image(), fromLineStart); at >= 0 && !oneWordReplaced;
                at = text.indexOf(old.image(), at + 1)) {
            oneWordReplaced = after.text().equals(
                    text.substring(0, at) + NEW_BASE + text.substring(at + old.image().length()));
        }
        assertThat(oneWordReplaced).as("only the image %s of line %d replaced, in:%n%s", old.image(), old.line(),
                after.text()).isTrue();
    }

    private static int lineStart(String text, int line) {
        int start = 0;
        for (int i = 1; i < line; i++) {
            start = text.indexOf('\n', start) + 1;
        }
        return start;
    }

    private static boolean basedOnEarlierStage(Dockerfile dockerfile, Stage stage) {
        return dockerfile.stages().subList(0, stage.index()).stream()
                .anyMatch(earlier -> earlier.name() != null && earlier.name().equalsIgnoreCase(stage.image()));
    }

    /** One line for the global ARGs, then one per stage. */
    static String summary(Dockerfile dockerfile) {
        StringBuilder summary = new StringBuilder("args: " + String.join(", ", dockerfile.globalArgs()));
        summary.append('\n');
        for (Stage stage : dockerfile.stages()) {
            summary.append("stage ").append(stage.index()).append(" line ").append(stage.line()).append(": ")
                    .append(stage.image());
            if (stage.name() != null) summary.append(" AS ").append(stage.name());
            if (stage.platformFlag() != null) summary.append(" platform=").append(stage.platformFlag());
            summary.append('\n');
        }
        return summary.toString().lines().map(String::stripTrailing).collect(Collectors.joining("\n", "", "\n"));
    }
}
