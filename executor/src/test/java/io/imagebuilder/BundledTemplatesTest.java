package io.imagebuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.imagebuilder.tosca.topology.Topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every template shipped in library/ and blueprints/ is valid; blueprints with each of their example inputs. */
class BundledTemplatesTest {

    private static final Path REPO = TestTemplates.repo();
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([^`]+\\.yaml)` \\| `([^`]+\\.yaml)` \\|");

    /** Which blueprint each example inputs file is for, as inputs/README.md lists them. */
    static Map<String, String> examples() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REPO.resolve("inputs/README.md"))) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.find()) out.put(m.group(1), m.group(2));
        }
        return out;
    }

    static List<Path> yamlFiles(String directory) throws IOException {
        try (Stream<Path> files = Files.walk(REPO.resolve(directory))) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    static Stream<Arguments> blueprintsWithInputs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        examples().forEach((inputs, blueprint) -> out.add(Arguments.of(blueprint, inputs)));
        return out.stream();
    }

    static Stream<Path> libraryFiles() throws IOException {
        return yamlFiles("library").stream();
    }

    @ParameterizedTest(name = "{0} with inputs/{1}")
    @MethodSource("blueprintsWithInputs")
    void blueprintsValidateWithTheirExampleInputs(String blueprint, String inputs) {
        Topology t = new ImageBuilder(REPO).validate(REPO.resolve("blueprints").resolve(blueprint),
                List.of(REPO.resolve("inputs").resolve(inputs)));
        assertThat(t.templateName()).isEqualTo("blueprints/" + blueprint);
        assertThat(t.nodes()).isNotEmpty();
        assertThat(new ImageBuilder(REPO).plan(REPO.resolve("blueprints").resolve(blueprint),
                List.of(REPO.resolve("inputs").resolve(inputs))).nodes()).hasSameSizeAs(t.nodes().values());
    }

    @Test
    void everyExampleInputsFileIsListedForAnExistingBlueprint() throws IOException {
        Map<String, String> examples = examples();
        List<String> inputFiles = yamlFiles("inputs").stream().map(p -> p.getFileName().toString()).toList();
        assertThat(inputFiles).isNotEmpty();
        assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(inputFiles);
        for (String blueprint : examples.values()) {
            assertThat(REPO.resolve("blueprints").resolve(blueprint)).isRegularFile();
        }
    }

    @Test
    void everyBlueprintHasAnExample() throws IOException {
        List<String> blueprints = yamlFiles("blueprints").stream().map(p -> p.getFileName().toString()).toList();
        assertThat(blueprints).isNotEmpty();
        assertThat(examples().values()).containsAll(blueprints);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraryFiles")
    void libraryFilesValidateWhenImported(Path library, @TempDir Path dir) {
        TestTemplates.write(dir, "uses-library.yaml", TestTemplates.VERSION + """
                imports:
                  - %s
                topology_template:
                  node_templates: {}
                """.formatted(library));
        assertThatCode(() -> TestTemplates.load(dir, "uses-library.yaml")).doesNotThrowAnyException();
    }
}
