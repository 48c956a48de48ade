package io.imagebuilder.imagebuild.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases under {@code src/test/resources/build/dockerfile}:
 * <ul>
 *   <li>{@code with-base/<case>/}: a {@code Dockerfile}, a {@code case.properties} with {@code base} (the new base
 *   image) and optionally {@code stage} (absent: the first FROM), and either {@code expected.Dockerfile} (the exact
 *   text {@link Dockerfile#withBase} gives) or {@code expected-error.txt} (its exact message);</li>
 *   <li>{@code invalid/<case>/}: a {@code Dockerfile} that does not parse and {@code expected-error.txt}.</li>
 * </ul>
 */
class DockerfileGoldenTest {

    private static final String DOCKERFILE = "Dockerfile";
    private static final String EXPECTED = "expected.Dockerfile";
    private static final String EXPECTED_ERROR = "expected-error.txt";

    static Stream<String> withBaseCases() {
        return Golden.cases("with-base", 30);
    }

    static Stream<String> invalidCases() {
        return Golden.cases("invalid", 15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withBaseCases")
    void withBaseGivesTheExpectedText(String name) throws DockerfileException {
        Path caseDir = Golden.ROOT.resolve("with-base").resolve(name);
        Properties properties = Golden.properties(caseDir);
        String base = properties.getProperty("base");
        String stage = properties.getProperty("stage");
        assertThat(base).as("base in %s/case.properties", caseDir).isNotNull();
        Dockerfile dockerfile = Dockerfile.parse(Golden.read(caseDir, DOCKERFILE));

        if (Files.isRegularFile(caseDir.resolve(EXPECTED))) {
            Dockerfile changed = dockerfile.withBase(stage, base);
            assertThat(changed.text()).isEqualTo(Golden.read(caseDir, EXPECTED));
            Stage target = stage == null ? changed.stages().get(0) : changed.stage(stage).orElseThrow();
            assertThat(target.image()).isEqualTo(base);
            assertThat(changed.stages()).hasSameSizeAs(dockerfile.stages());
        } else {
            assertThatThrownBy(() -> dockerfile.withBase(stage, base)).isInstanceOf(DockerfileException.class)
                    .hasMessage(Golden.message(caseDir, EXPECTED_ERROR));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidDockerfileIsRejectedWithTheExpectedMessage(String name) {
        Path caseDir = Golden.ROOT.resolve("invalid").resolve(name);
        String text = Golden.read(caseDir, DOCKERFILE);
        assertThatThrownBy(() -> Dockerfile.parse(text)).isInstanceOf(DockerfileException.class)
                .hasMessage(Golden.message(caseDir, EXPECTED_ERROR));
    }
}
