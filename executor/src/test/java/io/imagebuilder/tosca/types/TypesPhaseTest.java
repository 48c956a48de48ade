package io.imagebuilder.tosca.types;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.load.ReadPhase;
import io.imagebuilder.tosca.syntax.OperationDef;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.PrimitiveType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypesPhaseTest {

    @TempDir
    Path dir;

    private final Problems problems = new Problems();
    private Scope scope;

    /** Reads t.yaml with the given body and resolves its types, keeping every problem found. */
    private void types(String body) {
        write(dir, "t.yaml", VERSION + body);
        TypeSystem names = new NamesPhase(problems).run(new ReadPhase(problems, dir).run(dir.resolve("t.yaml")));
        assertThat(found()).as("problems before the types phase").isEmpty();
        new TypesPhase(problems).run(names);
        scope = names.scope("t.yaml");
    }

    private ResolvedType type(TypeKind kind, String name) {
        return scope.lookup(kind, name);
    }

    private List<String> found() {
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    private static final String CHAIN = """
            node_types:
              my.A:
                derived_from: tosca.nodes.Root
                properties:
                  shared: { type: string, default: from-a }
                  only_a: { type: integer, required: false }
                capabilities:
                  endpoint: tosca.capabilities.Endpoint
                requirements:
                  - host: { capability: tosca.capabilities.Compute, relationship: tosca.relationships.HostedOn }
                interfaces:
                  Standard:
                    create:
                      implementation: a-create.sh
                      inputs:
                        from_a: 1
                        both: a
              my.B:
                derived_from: my.A
                properties:
                  only_b: { type: boolean, default: true }
                interfaces:
                  Standard:
                    configure: b-configure.sh
              my.C:
                derived_from: my.B
                properties:
                  shared: { type: string, default: from-c }
                capabilities:
                  endpoint:
                    type: tosca.capabilities.Endpoint
                    properties:
                      port: { type: integer, default: 8080 }
                requirements:
                  - host: { capability: tosca.capabilities.Container, relationship: tosca.relationships.HostedOn }
                  - db: tosca.capabilities.Endpoint.Database
                interfaces:
                  Standard:
                    create:
                      implementation: c-create.sh
                      inputs:
                        both: c
            """;

    @Test
    void propertiesAreMergedDownTheChainWithOverrides() {
        types(CHAIN);
        ResolvedType c = type(TypeKind.NODE, "my.C");
        assertThat(c.parent().name()).isEqualTo("my.B");
        assertThat(c.parent().parent().name()).isEqualTo("my.A");
        assertThat(c.derivesFrom("tosca.nodes.Root")).isTrue();
        assertThat(c.derivesFrom(type(TypeKind.NODE, "my.A"))).isTrue();
        assertThat(type(TypeKind.NODE, "my.A").derivesFrom("my.C")).isFalse();
        assertThat(c.properties()).containsOnlyKeys("shared", "only_a", "only_b");
        assertThat(c.properties().get("shared").defaultValue().toPlain()).isEqualTo("from-c");
        assertThat(type(TypeKind.NODE, "my.B").properties().get("shared").defaultValue().toPlain())
                .isEqualTo("from-a");
        assertThat(c.properties().get("only_a").required()).isFalse();
        assertThat(c.properties().get("only_b").type()).isEqualTo(new ValueType.Primitive(PrimitiveType.BOOLEAN));
        // get_attribute may read properties, so attributes include them and the inherited attributes
        assertThat(c.attributes()).containsKeys("shared", "only_a", "only_b", "tosca_id", "tosca_name", "state");
    }

    @Test
    void capabilitiesAndRequirementsAreMergedAndRefined() {
        types(CHAIN);
        ResolvedType c = type(TypeKind.NODE, "my.C");
        assertThat(c.capabilities()).containsOnlyKeys("feature", "endpoint");
        ResolvedCapability endpoint = c.capabilities().get("endpoint");
        assertThat(endpoint.type().name()).isEqualTo("tosca.capabilities.Endpoint");
        // the capability type's own properties plus the refinement
        assertThat(endpoint.properties()).containsKeys("protocol", "port", "secure");
        assertThat(endpoint.properties().get("port").defaultValue().toPlain()).isEqualTo(8080L);
        assertThat(type(TypeKind.NODE, "my.A").capabilities().get("endpoint").properties().get("port").hasDefault())
                .isFalse();

        assertThat(c.requirements()).containsOnlyKeys("dependency", "host", "db");
        assertThat(c.requirements().get("host").capability().name()).isEqualTo("tosca.capabilities.Container");
        assertThat(type(TypeKind.NODE, "my.B").requirements().get("host").capability().name())
                .isEqualTo("tosca.capabilities.Compute");
        assertThat(c.requirements().get("host").relationship().name()).isEqualTo("tosca.relationships.HostedOn");
        assertThat(c.requirements().get("db").relationship()).isNull();
    }

    @Test
    void interfacesAreMergedOperationByOperation() {
        types(CHAIN);
        ResolvedInterface standard = type(TypeKind.NODE, "my.C").interfaces().get("Standard");
        assertThat(standard.type().name()).isEqualTo("tosca.interfaces.node.lifecycle.Standard");
        assertThat(standard.operations()).containsKeys("create", "configure", "start", "stop", "delete");
        OperationDef create = standard.operations().get("create");
        assertThat(create.implementation().primary().value()).isEqualTo("c-create.sh");
        assertThat(create.inputs()).containsOnlyKeys("from_a", "both");
        assertThat(create.inputs().get("from_a").effectiveValue().toPlain()).isEqualTo(1L);
        assertThat(create.inputs().get("both").effectiveValue().toPlain()).isEqualTo("c");
        assertThat(standard.operations().get("configure").implementation().primary().value())
                .isEqualTo("b-configure.sh");
        assertThat(standard.operations().get("start").implementation()).isNull();

        ResolvedInterface ofA = type(TypeKind.NODE, "my.A").interfaces().get("Standard");
        assertThat(ofA.operations().get("create").implementation().primary().value()).isEqualTo("a-create.sh");
        assertThat(ofA.operations().get("configure").implementation()).isNull();
    }

    @Test
    void derivationCyclesAreReportedOnceWithTheChain() {
        types("""
                node_types:
                  my.A: { derived_from: my.B }
                  my.B: { derived_from: my.C }
                  my.C: { derived_from: my.A }
                  my.D: { derived_from: my.C }
                """);
        assertThat(found()).containsExactly("t.yaml:3:25: derivation cycle: my.A -> my.B -> my.C -> my.A");
    }

    @Test
    void aTypeDerivedFromItselfIsACycle() {
        types("data_types:\n  my.Loop:\n    derived_from: my.Loop\n");
        assertThat(found()).containsExactly("t.yaml:4:19: derivation cycle: data type \"my.Loop\" derives from itself");
    }

    @Test
    void unknownParentsAndMemberTypesAreReported() {
        types("""
                node_types:
                  my.A:
                    derived_from: tosca.nodes.Rooot
                    properties:
                      p: { type: my.Missing }
                    capabilities:
                      c: tosca.capabilities.Nope
                    interfaces:
                      Standard:
                        type: tosca.interfaces.node.lifecycle.Standart
                """);
        assertThat(found()).containsExactly(
                "t.yaml:4:19: unknown node type \"tosca.nodes.Rooot\"; did you mean \"tosca.nodes.Root\"?",
                "t.yaml:6:18: unknown data type \"my.Missing\"",
                "t.yaml:8:10: unknown capability type \"tosca.capabilities.Nope\"; did you mean "
                        + "\"tosca.capabilities.Node\"?",
                "t.yaml:11:15: unknown interface type \"tosca.interfaces.node.lifecycle.Standart\"; did you mean "
                        + "\"tosca.interfaces.node.lifecycle.Standard\"?");
    }

    @Test
    void unknownOperationsOfAnInterfaceAreReported() {
        types("""
                node_types:
                  my.A:
                    derived_from: tosca.nodes.Root
                    interfaces:
                      Standard:
                        craete: create.sh
                """);
        assertThat(found()).containsExactly("t.yaml:7:9: interface type tosca.interfaces.node.lifecycle.Standard "
                + "has no operation \"craete\"; did you mean \"create\"?; expected one of create, configure, start, "
                + "stop, delete");
    }

    @Test
    void dataTypesDerivedFromPrimitivesKeepTheirBaseAndConstraints() {
        types("""
                data_types:
                  my.Port:
                    derived_from: integer
                    constraints: [ { in_range: [ 1, 65535 ] } ]
                  my.HighPort:
                    derived_from: my.Port
                    constraints: [ { greater_or_equal: 1024 } ]
                  my.Names:
                    derived_from: list
                    entry_schema: { type: string }
                """);
        ResolvedType high = type(TypeKind.DATA, "my.HighPort");
        assertThat(high.base()).isEqualTo(new ValueType.Primitive(PrimitiveType.INTEGER));
        assertThat(high.constraints()).extracting(c -> c.operator()).containsExactly("in_range", "greater_or_equal");
        assertThat(high.constraints().get(1).check(80L)).isEqualTo("must be greater than or equal to 1024");
        assertThat(type(TypeKind.DATA, "my.Names").base())
                .isEqualTo(new ValueType.ListOf(new ValueType.Primitive(PrimitiveType.STRING), List.of()));
    }

    @Test
    void primitiveDataTypesCannotHavePropertiesAndComplexOnesNoConstraints() {
        types("""
                data_types:
                  my.Port:
                    derived_from: integer
                    properties:
                      x: { type: string }
                  my.Pair:
                    derived_from: tosca.datatypes.Root
                    properties:
                      x: { type: string }
                    constraints: [ { min_length: 1 } ]
                """);
        assertThat(found()).containsExactly(
                "t.yaml:4:5: data type \"my.Port\" derives from a primitive type and cannot have properties",
                "t.yaml:11:22: constraints apply only to data types derived from a primitive type, a list or a map; "
                        + "my.Pair has properties");
    }

    @Test
    void defaultsAreCheckedAgainstTheirTypes() {
        types("""
                data_types:
                  my.Settings:
                    derived_from: tosca.datatypes.Root
                    properties:
                      level: { type: integer, constraints: [ { less_than: 10 } ] }
                node_types:
                  my.A:
                    derived_from: tosca.nodes.Root
                    properties:
                      port: { type: integer, default: eighty }
                      settings: { type: my.Settings, default: { level: 12 } }
                      size: { type: scalar-unit.size, default: 1 GB }
                """);
        assertThat(found()).containsExactly(
                "t.yaml:11:39: default of \"port\" in node type \"my.A\": expected an integer, got the string "
                        + "\"eighty\"",
                "t.yaml:12:56: default of \"settings\" in node type \"my.A\".level: value 12 must be less than 10");
    }

    @Test
    void secretDefaultsAreNotShownInMessages() {
        types("""
                node_types:
                  my.A:
                    derived_from: tosca.nodes.Root
                    properties:
                      password: { type: string, default: changeme, constraints: [ { min_length: 12 } ] }
                """);
        assertThat(found()).containsExactly("t.yaml:6:42: default of \"password\" in node type \"my.A\": value "
                + "(secret) must have a length of at least 12 (has 8)");
    }

    @Test
    void invalidConstraintsAreReported() {
        types("""
                node_types:
                  my.A:
                    derived_from: tosca.nodes.Root
                    properties:
                      port: { type: integer, constraints: [ { greater_than: abc } ] }
                """);
        assertThat(found()).singleElement().asString()
                .startsWith("t.yaml:6:47: invalid constraint for integer: ");
    }

    @Test
    void secretTypesAndNamesAreRecognised() {
        types("""
                data_types:
                  my.Secret:
                    derived_from: string
                    metadata: { secret: "true" }
                  my.Token:
                    derived_from: my.Secret
                node_types:
                  my.A:
                    derived_from: tosca.nodes.Root
                    properties:
                      key: { type: my.Token }
                      db_password: { type: string }
                      plain: { type: string }
                """);
        assertThat(type(TypeKind.DATA, "my.Token").isSecret()).isTrue();
        ResolvedType a = type(TypeKind.NODE, "my.A");
        assertThat(a.properties().get("key").secret()).isTrue();
        assertThat(a.properties().get("db_password").secret()).isTrue();
        assertThat(a.properties().get("plain").secret()).isFalse();
    }
}
