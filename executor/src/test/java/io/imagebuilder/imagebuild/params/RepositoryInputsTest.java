package io.imagebuilder.imagebuild.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The build_params of every example inputs file in the repository's inputs/ are valid. */
class RepositoryInputsTest {

    static Path inputs() {
        return Path.of(System.getProperty("imagebuilder.repo", "..")).resolve("inputs");
    }

    static Stream<String> files() throws IOException {
        try (Stream<Path> files = Files.list(inputs())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "inputs/{0}")
    @MethodSource("files")
    void buildParamsParse(String name) {
        Problems problems = new Problems();
        YNode root = YamlReader.read(inputs().resolve(name), "inputs/" + name, problems).orElseThrow();
        assertThat(root).isInstanceOf(YMap.class);
        YNode buildParams = ((YMap) root).get("build_params");
        assertThat(buildParams).as("build_params of inputs/" + name).isNotNull();
        BuildParams params = BuildParamsParser.parse(buildParams, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(params).isNotNull();
    }
}
