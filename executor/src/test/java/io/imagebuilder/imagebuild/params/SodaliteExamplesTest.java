package io.imagebuilder.imagebuild.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNodes;
import io.imagebuilder.yaml.YamlReader;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of SODALITE's image-builder README, in its JSON form (for the REST API) and its YAML form (for
 * TOSCA inputs), copied unchanged into build/params/sodalite but for one character: the JSON of the dockerfile
 * mode's "additional options" example lacks the comma after the Dockerfile's url, which is added in
 * dockerfile-additional-options.json.
 */
class SodaliteExamplesTest {

    static Path examples() {
        try {
            return Path.of(SodaliteExamplesTest.class.getResource("/build/params/sodalite").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> names() throws IOException {
        try (Stream<Path> files = Files.list(examples())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                    .map(n -> n.substring(0, n.length() - ".json".length())).toList().stream();
        }
    }

    static BuildParams parse(String file) throws IOException {
        Problems problems = new Problems();
        BuildParams params = BuildParamsParser.parse(
                Files.readString(examples().resolve(file), StandardCharsets.UTF_8), file, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(params).isNotNull();
        return params;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void bothFormsParseToTheSameParameters(String name) throws IOException {
        assertThat(parse(name + ".yaml")).isEqualTo(parse(name + ".json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void thePlainFormParsesBackToTheSameParameters(String name) throws IOException {
        BuildParams params = parse(name + ".json");
        Problems problems = new Problems();
        BuildParams again = BuildParamsParser.parse(YNodes.of(BuildParamsParser.toPlain(params),
                Location.file("plain")), problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(again).isEqualTo(params);
    }

    /** SODALITE's own document comes back, with the defaults of git mode written out. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    @SuppressWarnings("unchecked")
    void thePlainFormIsTheDocumentWithItsDefaults(String name) throws IOException {
        String file = name + ".json";
        Object document = YamlReader.parse(Files.readString(examples().resolve(file)), file, new Problems())
                .orElseThrow().toPlain();
        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) document).get("source");
        if (source.get("git_repo") instanceof Map<?, ?> git) {
            ((Map<String, Object>) git).putIfAbsent("workdir", ".");
            ((Map<String, Object>) git).putIfAbsent("dockerfile", "Dockerfile");
        }
        assertThat(BuildParamsParser.toPlain(parse(file))).isEqualTo(document);
    }

    @Test
    void everyExampleOfTheReadmeIsThereInBothForms() throws IOException {
        assertThat(names()).containsExactly("dockerfile-additional-options", "dockerfile-build-context",
                "dockerfile-no-context", "git-additional-options", "git", "image-variants",
                "multi-arch-variant-platforms", "multi-arch");
        names().forEach(n -> assertThat(examples().resolve(n + ".yaml")).exists());
    }
}
