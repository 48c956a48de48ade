package io.imagebuilder.tosca.load;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.topology.Topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadPhaseTest {

    @TempDir
    Path dir;

    private final Problems problems = new Problems();

    private Sources read(String main) {
        return new ReadPhase(problems, dir).run(dir.resolve(main));
    }

    private List<String> fileNames(Sources sources) {
        return sources.files().stream().map(SourceFile::displayName).toList();
    }

    private List<String> found() {
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    private static String nodeType(String name) {
        return VERSION + "node_types:\n  " + name + ":\n    derived_from: tosca.nodes.Root\n";
    }

    @Test
    void importsAreRelativeToTheImportingFileAndNested() {
        write(dir, "main.yaml", VERSION + """
                imports:
                  - lib/types.yaml
                topology_template:
                  node_templates:
                    n: { type: my.Leaf }
                    m: { type: my.Common }
                """);
        write(dir, "lib/types.yaml", VERSION + """
                imports:
                  - ../common/base.yaml
                  - sub/leaf.yaml
                """);
        write(dir, "common/base.yaml", nodeType("my.Common"));
        write(dir, "lib/sub/leaf.yaml", nodeType("my.Leaf"));

        Sources sources = read("main.yaml");
        assertThat(found()).isEmpty();
        assertThat(fileNames(sources)).containsExactly("builtin:normative-types-1.3.yaml", "common/base.yaml",
                "lib/sub/leaf.yaml", "lib/types.yaml", "main.yaml");
        assertThat(sources.main().displayName()).isEqualTo("main.yaml");
        assertThat(sources.normative().displayName()).isEqualTo(ReadPhase.NORMATIVE_NAME);
        assertThat(sources.byPath()).containsOnlyKeys(dir.resolve("main.yaml"), dir.resolve("lib/types.yaml"),
                dir.resolve("common/base.yaml"), dir.resolve("lib/sub/leaf.yaml"));

        // imports are transitive: main sees the types of the files its import imports
        Topology t = load(dir, "main.yaml");
        assertThat(t.node("n").type().name()).isEqualTo("my.Leaf");
        assertThat(t.node("m").type().name()).isEqualTo("my.Common");
    }

    @Test
    void aFileImportedTwiceIsReadOnce() {
        write(dir, "main.yaml", VERSION + """
                imports: [ left.yaml, right.yaml ]
                topology_template:
                  node_templates:
                    n: { type: my.Shared }
                """);
        write(dir, "left.yaml", VERSION + "imports: [ shared.yaml ]\n");
        write(dir, "right.yaml", VERSION + "imports: [ ./shared.yaml ]\n");
        write(dir, "shared.yaml", nodeType("my.Shared"));

        Sources sources = read("main.yaml");
        assertThat(found()).isEmpty();
        assertThat(fileNames(sources)).containsExactly("builtin:normative-types-1.3.yaml", "shared.yaml",
                "left.yaml", "right.yaml", "main.yaml");
        // the shared types are defined once, so seeing them through both imports is no conflict
        assertThat(load(dir, "main.yaml").node("n").type().name()).isEqualTo("my.Shared");
    }

    @Test
    void importCyclesAreReportedWithTheChain() {
        write(dir, "main.yaml", VERSION + "imports:\n  - a.yaml\n");
        write(dir, "a.yaml", VERSION + "imports:\n  - sub/b.yaml\n");
        write(dir, "sub/b.yaml", VERSION + "imports:\n  - ../a.yaml\n");
        read("main.yaml");
        assertThat(found()).containsExactly("sub/b.yaml:3:5: import cycle: a.yaml -> sub/b.yaml -> a.yaml");
    }

    @Test
    void importCycleThroughTheMainTemplate() {
        write(dir, "main.yaml", VERSION + "imports:\n  - other.yaml\n");
        write(dir, "other.yaml", VERSION + "imports:\n  - main.yaml\n");
        InvalidInputException e = invalid(dir, "main.yaml");
        assertThat(e.phase()).isEqualTo("reading");
        assertThat(messages(e)).containsExactly("other.yaml:3:5: import cycle: main.yaml -> other.yaml -> main.yaml");
    }

    @Test
    void aFileImportingItselfIsACycle() {
        write(dir, "main.yaml", VERSION + "imports:\n  - main.yaml\n");
        read("main.yaml");
        assertThat(found()).containsExactly("main.yaml:3:5: import cycle: main.yaml -> main.yaml");
    }

    @Test
    void missingImportsAreReportedWhereTheyAreImported() throws Exception {
        Files.createDirectories(dir.resolve("adir"));
        write(dir, "main.yaml", VERSION + """
                imports:
                  - lib/missing.yaml
                  - adir
                  - https://example.org/types.yaml
                """);
        read("main.yaml");
        assertThat(found()).containsExactly(
                "main.yaml:3:5: file not found: lib/missing.yaml",
                "main.yaml:4:5: not a file: adir",
                "main.yaml:5:5: importing by URL is not supported (\"https://example.org/types.yaml\"); import "
                        + "files by relative path");
    }

    @Test
    void aMissingMainTemplateIsReportedByName() {
        read("nope.yaml");
        assertThat(found()).containsExactly("nope.yaml: file not found: nope.yaml");
    }

    @Test
    void problemsInImportedFilesNameThoseFiles() {
        write(dir, "main.yaml", VERSION + "imports: [ lib/bad.yaml ]\n");
        write(dir, "lib/bad.yaml", VERSION + "node_typs: {}\nimports: [ worse.yaml ]\n");
        write(dir, "lib/worse.yaml", "key: [unclosed\n");
        read("main.yaml");
        assertThat(found()).hasSize(2);
        assertThat(found().get(0)).startsWith("lib/bad.yaml:2:1: unknown field \"node_typs\" in the service template");
        assertThat(found().get(1)).startsWith("lib/worse.yaml:2:1: invalid YAML: ");
    }

    @Test
    void namespacePrefixQualifiesImportedNames() {
        write(dir, "lib.yaml", VERSION + """
                node_types:
                  my.Base:
                    derived_from: tosca.nodes.Root
                  my.Node:
                    derived_from: my.Base
                """);
        write(dir, "main.yaml", VERSION + """
                imports:
                  - file: lib.yaml
                    namespace_prefix: lib
                topology_template:
                  node_templates:
                    ok: { type: lib:my.Node }
                """);
        Topology t = load(dir, "main.yaml");
        assertThat(t.node("ok").type().name()).isEqualTo("my.Node");
        assertThat(t.node("ok").type().parent().name()).isEqualTo("my.Base");

        write(dir, "main.yaml", VERSION + """
                imports:
                  - file: lib.yaml
                    namespace_prefix: lib
                topology_template:
                  node_templates:
                    bad: { type: my.Node }
                """);
        assertThat(messages(invalid(dir, "main.yaml")))
                .containsExactly("main.yaml:7:18: unknown node type \"my.Node\"");
    }

    @Test
    void namesOutsideTheWorkingDirectoryAreAbsolute(@TempDir Path elsewhere) {
        Path lib = write(elsewhere, "lib.yaml", nodeType("my.Far"));
        write(dir, "main.yaml", VERSION + "imports:\n  - " + lib + "\n");
        Sources sources = read("main.yaml");
        assertThat(found()).isEmpty();
        assertThat(fileNames(sources)).containsExactly("builtin:normative-types-1.3.yaml", lib.toString(), "main.yaml");
    }
}
