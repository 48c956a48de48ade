package io.imagebuilder.tosca.types;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.load.ReadPhase;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.TypeKind;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesPhaseTest {

    @TempDir
    Path dir;

    private final Problems problems = new Problems();

    private TypeSystem names(String main) {
        return new NamesPhase(problems).run(new ReadPhase(problems, dir).run(dir.resolve(main)));
    }

    private List<String> found() {
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    private static final String SAME = VERSION + """
            node_types:
              my.Same:
                derived_from: tosca.nodes.Root
            """;

    @Test
    void normativeTypesMayBeWrittenShort() {
        write(dir, "t.yaml", VERSION);
        Scope scope = names("t.yaml").scope("t.yaml");
        ResolvedType compute = scope.lookup(TypeKind.NODE, "tosca.nodes.Compute");
        assertThat(compute).isNotNull();
        assertThat(scope.lookup(TypeKind.NODE, "Compute")).isSameAs(compute);
        assertThat(scope.lookup(TypeKind.NODE, "tosca:Compute")).isSameAs(compute);
        assertThat(scope.lookup(TypeKind.RELATIONSHIP, "HostedOn").name()).isEqualTo("tosca.relationships.HostedOn");
        assertThat(scope.lookup(TypeKind.CAPABILITY, "Endpoint.Admin").name())
                .isEqualTo("tosca.capabilities.Endpoint.Admin");
        // each kind has its own name space
        assertThat(scope.lookup(TypeKind.CAPABILITY, "Compute").name()).isEqualTo("tosca.capabilities.Compute");
        assertThat(scope.lookup(TypeKind.DATA, "Compute")).isNull();
    }

    @Test
    void shortNamesNeverReachUserTypes() {
        write(dir, "t.yaml", VERSION + "node_types:\n  my.Thing:\n    derived_from: tosca.nodes.Root\n");
        Scope scope = names("t.yaml").scope("t.yaml");
        assertThat(scope.lookup(TypeKind.NODE, "my.Thing")).isNotNull();
        assertThat(scope.lookup(TypeKind.NODE, "Thing")).isNull();
    }

    @Test
    void everyFileHasItsOwnScope() {
        write(dir, "main.yaml", VERSION + "imports: [ lib.yaml ]\nnode_types:\n  my.Main: {}\n");
        write(dir, "lib.yaml", VERSION + "node_types:\n  my.Lib: {}\n");
        TypeSystem system = names("main.yaml");
        assertThat(found()).isEmpty();
        assertThat(system.scope("main.yaml").lookup(TypeKind.NODE, "my.Lib")).isNotNull();
        assertThat(system.scope("lib.yaml").lookup(TypeKind.NODE, "my.Lib")).isNotNull();
        // an imported file does not see the names of the file importing it
        assertThat(system.scope("lib.yaml").lookup(TypeKind.NODE, "my.Main")).isNull();
        assertThat(system.types()).extracting(ResolvedType::name).contains("my.Main", "my.Lib", "tosca.nodes.Root");
    }

    @Test
    void theSameNameFromTwoImportsIsAConflict() {
        write(dir, "a.yaml", SAME);
        write(dir, "b.yaml", SAME);
        write(dir, "main.yaml", VERSION + "imports:\n  - a.yaml\n  - b.yaml\n");
        names("main.yaml");
        assertThat(found()).containsExactly("main.yaml:4:5: node type \"my.Same\" is defined both at a.yaml:3:3 "
                + "and at b.yaml:3:3; import one of them with a namespace_prefix");
    }

    @Test
    void anOwnDefinitionConflictsWithAnImportedOne() {
        write(dir, "a.yaml", SAME);
        write(dir, "main.yaml", SAME + "imports:\n  - a.yaml\n");
        InvalidInputException e = invalid(dir, "main.yaml");
        assertThat(e.phase()).isEqualTo("resolving names and imports");
        assertThat(messages(e)).containsExactly("main.yaml:6:5: node type \"my.Same\" is defined both at "
                + "main.yaml:3:3 and at a.yaml:3:3; import one of them with a namespace_prefix");
    }

    @Test
    void redefiningANormativeTypeIsAConflict() {
        write(dir, "t.yaml", VERSION + "capability_types:\n  tosca.capabilities.Node: {}\n");
        names("t.yaml");
        assertThat(found()).singleElement().asString().startsWith(
                "t.yaml:3:3: capability type \"tosca.capabilities.Node\" is defined both at t.yaml:3:3 and at "
                        + "builtin:normative-types-1.3.yaml:");
    }

    @Test
    void namespacePrefixesResolveConflicts() {
        write(dir, "a.yaml", SAME);
        write(dir, "b.yaml", SAME);
        write(dir, "main.yaml", VERSION + """
                imports:
                  - a.yaml
                  - { file: b.yaml, namespace_prefix: b }
                topology_template:
                  node_templates:
                    one: { type: my.Same }
                    two: { type: b:my.Same }
                """);
        var t = load(dir, "main.yaml");
        assertThat(t.node("one").type().definition().location().file()).isEqualTo("a.yaml");
        assertThat(t.node("two").type().definition().location().file()).isEqualTo("b.yaml");
    }

    @Test
    void sameNameInDifferentKindsIsNoConflict() {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Thing: { derived_from: tosca.nodes.Root }
                capability_types:
                  my.Thing: { derived_from: tosca.capabilities.Root }
                """);
        Scope scope = names("t.yaml").scope("t.yaml");
        assertThat(found()).isEmpty();
        assertThat(scope.lookup(TypeKind.NODE, "my.Thing").kind()).isEqualTo(TypeKind.NODE);
        assertThat(scope.lookup(TypeKind.CAPABILITY, "my.Thing").kind()).isEqualTo(TypeKind.CAPABILITY);
    }

    @Test
    void unknownNamesGetHints() {
        write(dir, "t.yaml", VERSION);
        Scope scope = names("t.yaml").scope("t.yaml");
        Location at = Location.of("t.yaml", 7, 9);
        assertThat(TypeSystem.lookup(scope, TypeKind.NODE, Name.of("tosca.nodes.Comptue", at), problems)).isNull();
        assertThat(TypeSystem.lookup(scope, TypeKind.NODE, Name.of("tosca.capabilities.Endpoint", at), problems))
                .isNull();
        assertThat(TypeSystem.lookup(scope, TypeKind.DATA, Name.of("strnig", at), problems)).isNull();
        assertThat(TypeSystem.lookup(scope, TypeKind.NODE, Name.of("something.Else", at), problems)).isNull();
        assertThat(found()).containsExactlyInAnyOrder(
                "t.yaml:7:9: unknown node type \"tosca.nodes.Comptue\"; did you mean \"tosca.nodes.Compute\"?",
                "t.yaml:7:9: unknown node type \"tosca.capabilities.Endpoint\" (\"tosca.capabilities.Endpoint\" is "
                        + "a capability type)",
                "t.yaml:7:9: unknown data type \"strnig\"; did you mean \"string\"?",
                "t.yaml:7:9: unknown node type \"something.Else\"");
    }
}
