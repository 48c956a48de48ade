package io.imagebuilder.imagebuild.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.cli.ExitCodes;
import io.imagebuilder.cli.Main;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YamlReader;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code image-builder convert}, run through the command line as users run it. */
class ConvertCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** The document as a tree of plain values; Map equality ignores order, so order is checked separately. */
    private static Object tree(String text) {
        Problems problems = new Problems();
        Object tree = YamlReader.parse(text, "output", problems).orElseThrow().toPlain();
        assertThat(problems.sorted()).isEmpty();
        return tree;
    }

    static Stream<String> examples() throws IOException {
        return SodaliteExamplesTest.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void jsonToYamlToJsonGivesTheSameTree(String name) throws IOException {
        Path json = SodaliteExamplesTest.examples().resolve(name + ".json");
        String original = Files.readString(json);

        Run toYaml = run("convert", json.toString());
        assertThat(toYaml.err()).isEmpty();
        assertThat(toYaml.exit()).isEqualTo(ExitCodes.OK);
        assertThat(toYaml.out().stripLeading()).doesNotStartWith("{");

        Run back = run("convert", write(name + ".yaml", toYaml.out()).toString());
        assertThat(back.err()).isEmpty();
        assertThat(back.exit()).isEqualTo(ExitCodes.OK);
        assertThat(back.out()).startsWith("{");
        assertThat(tree(back.out())).isEqualTo(tree(original));
        assertThat(back.out()).isEqualToIgnoringWhitespace(original);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void yamlConvertsToTheJsonForm(String name) throws IOException {
        Path examples = SodaliteExamplesTest.examples();
        Run r = run("convert", examples.resolve(name + ".yaml").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(tree(r.out())).isEqualTo(tree(Files.readString(examples.resolve(name + ".json"))));
    }

    @Test
    void keepsTheOrderOfKeys() throws IOException {
        Path file = write("bp.json", """
                {"target": {"registry": {"url": "docker.io"}, "images": [{"tag": "v1", "image": "app"}]},
                 "source": {"path": "/srv/app"}}
                """);
        Run r = run("convert", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("""
                target:
                  registry:
                    url: docker.io
                  images:
                    - tag: v1
                      image: app
                source:
                  path: /srv/app
                """);
        assertThat(new ArrayList<Object>(((Map<?, ?>) tree(r.out())).keySet())).containsExactly("target", "source");
    }

    @Test
    void quotesStringsThatYamlWouldReadAsOtherTypes() throws IOException {
        Path file = write("bp.json", """
                {"source": {"path": "/srv/app"}, "target": {"images": [{"image": "app", "tag": "3.10"}]},
                 "build_args": {"A": "true", "B": "0x1F", "C": "null", "D": "1e3"}}
                """);
        Run r = run("convert", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(tree(r.out())).isEqualTo(Map.of("source", Map.of("path", "/srv/app"),
                "target", Map.of("images", List.of(Map.of("image", "app", "tag", "3.10"))),
                "build_args", Map.of("A", "true", "B", "0x1F", "C", "null", "D", "1e3")));
    }

    @Test
    void keepsTheWrapperOfAnInputsFile() throws IOException {
        Path file = write("inputs.yaml", """
                # build parameters and the build host
                build_params:
                  source:
                    git_repo:
                      url: https://example.com/app.git
                  target:
                    images:
                      - image: app
                docker_host: ssh://root@127.0.0.1:2221
                """);
        Run r = run("convert", file.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("""
                {
                  "build_params" : {
                    "source" : {
                      "git_repo" : {
                        "url" : "https://example.com/app.git"
                      }
                    },
                    "target" : {
                      "images" : [ {
                        "image" : "app"
                      } ]
                    }
                  },
                  "docker_host" : "ssh://root@127.0.0.1:2221"
                }
                """);
    }

    @Test
    void convertsToTheFormatAskedFor() throws IOException {
        Path yaml = SodaliteExamplesTest.examples().resolve("git.yaml");
        Run same = run("convert", "--to", "yaml", yaml.toString());
        assertThat(same.exit()).isEqualTo(ExitCodes.OK);
        assertThat(same.out()).doesNotStartWith("{");
        assertThat(tree(same.out())).isEqualTo(tree(Files.readString(yaml)));

        Path json = SodaliteExamplesTest.examples().resolve("git.json");
        Run toJson = run("convert", "--to", "json", json.toString());
        assertThat(toJson.exit()).isEqualTo(ExitCodes.OK);
        assertThat(toJson.out()).startsWith("{");
    }

    @Test
    void refusesAnInvalidDocumentWithItsProblems() throws IOException {
        Path file = write("bad.json", """
                {
                  "source": {"git_repo": {"url": "https://me:Pa55-w0rd@example.com/app.git"}},
                  "target": {"images": [{"image": "app", "tag": 3.10}]}
                }
                """);
        Run r = run("convert", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(String.join("\n",
                file + ":2:34: source.git_repo.url: the URL contains credentials; give them in the username and "
                        + "password fields instead",
                file + ":3:49: target.images[0].tag: expected a string, got the float 3.1; put the value in quotes "
                        + "so that it is read as text, exactly as written",
                "2 problems found while checking build_params; nothing was run.", ""));
        assertThat(r.err()).doesNotContain("Pa55-w0rd");
    }

    @Test
    void reportsAMissingFile() {
        Path missing = dir.resolve("missing.json");
        Run r = run("convert", missing.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith(missing + ": file not found\n");
    }

    @Test
    void reportsInvalidYaml() throws IOException {
        Path file = write("broken.json", "{\"source\": {\"path\": \"/srv/app\"\n \"target\": {}}\n");
        Run r = run("convert", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith(file + ":2:");
        assertThat(r.err()).contains("invalid YAML");
    }
}
