package io.imagebuilder.tosca.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntaxReaderTest {

    private static final String VERSION = "tosca_definitions_version: tosca_simple_yaml_1_3\n";

    private final Problems problems = new Problems();

    private ServiceTemplate read(String text) {
        YNode root = YamlReader.parse(text, "t.yaml", problems).orElseThrow();
        return new SyntaxReader(problems).read(root, null, "t.yaml");
    }

    private ServiceTemplate valid(String text) {
        ServiceTemplate t = read(text);
        assertThat(messages()).isEmpty();
        return t;
    }

    private List<String> messages() {
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    @Test
    void readsVersionMetadataAndDescription() {
        ServiceTemplate t = valid(VERSION + """
                metadata:
                  template_name: demo
                  answer: 42
                template_author: someone
                description: A demo.
                """);
        assertThat(t.definitionsVersion().value()).isEqualTo("tosca_simple_yaml_1_3");
        assertThat(t.metadata()).containsExactly(Map.entry("template_name", "demo"), Map.entry("answer", "42"),
                Map.entry("template_author", "someone"));
        assertThat(t.description()).isEqualTo("A demo.");
        assertThat(t.topology()).isNull();
    }

    @Test
    void acceptsEveryTosca1Version() {
        for (String v : List.of("tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1", "tosca_simple_yaml_1_2",
                "tosca_simple_yaml_1_3")) {
            valid("tosca_definitions_version: " + v + "\n");
        }
    }

    @Test
    void missingVersionIsReportedAtTheTop() {
        read("description: no version\n");
        assertThat(messages()).containsExactly("t.yaml:1:1: missing \"tosca_definitions_version\"; expected one of "
                + "tosca_simple_yaml_1_0, tosca_simple_yaml_1_1, tosca_simple_yaml_1_2, tosca_simple_yaml_1_3");
    }

    @Test
    void unsupportedVersionIsReportedAtItsValue() {
        read("description: x\ntosca_definitions_version: tosca_2_0\n");
        assertThat(messages()).containsExactly("t.yaml:2:28: unsupported tosca_definitions_version \"tosca_2_0\"; "
                + "expected one of tosca_simple_yaml_1_0, tosca_simple_yaml_1_1, tosca_simple_yaml_1_2, "
                + "tosca_simple_yaml_1_3");
    }

    @Test
    void theTemplateMustBeAMap() {
        read("- a\n- b\n");
        assertThat(messages()).containsExactly("t.yaml:1:1: expected a map for the service template, got a list");
    }

    @Test
    void everyWrongKeyOfAFileIsReported() {
        read(VERSION + """
                repositories:
                  r: { url: http://example.org }
                node_types:
                  my.Node:
                    derived_from: tosca.nodes.Root
                    propertees: {}
                    properties:
                      port: { type: integer, requird: true }
                      name: { description: no type }
                topology_template:
                  workflows: {}
                  node_templates:
                    n:
                      type: my.Node
                      copy: m
                """);
        assertThat(messages()).containsExactly(
                "t.yaml:2:1: \"repositories\" is not supported; import files by relative path",
                "t.yaml:7:5: unknown field \"propertees\" in node type \"my.Node\"; expected one of artifacts, "
                        + "attributes, capabilities, derived_from, description, interfaces, metadata, properties, "
                        + "requirements, version",
                "t.yaml:9:30: unknown field \"requird\" in the definition of \"port\" in node type \"my.Node\"; "
                        + "expected one of constraints, default, description, entry_schema, external-schema, "
                        + "key_schema, metadata, required, status, type, value",
                "t.yaml:10:13: the definition of \"name\" in node type \"my.Node\" has no \"type\"",
                "t.yaml:12:3: \"workflows\" is not supported (see docs/tosca-deviations.md)",
                "t.yaml:16:7: \"copy\" in node templates is not supported (see docs/tosca-deviations.md)");
    }

    @Test
    void wrongShapesAreReported() {
        read(VERSION + """
                imports: types.yaml
                node_types:
                  my.Node:
                    derived_from: [tosca.nodes.Root]
                    properties: [port]
                    requirements:
                      host: { capability: tosca.capabilities.Compute }
                """);
        assertThat(messages()).containsExactly(
                "t.yaml:2:10: expected a list for \"imports\" in the service template, got the string \"types.yaml\"",
                "t.yaml:5:19: expected a string for \"derived_from\" in node type \"my.Node\", got a list",
                "t.yaml:6:17: expected a map for \"properties\" in node type \"my.Node\", got a list",
                "t.yaml:8:7: expected a list for \"requirements\" in node type \"my.Node\", got a map");
    }

    @Test
    void importsInEveryForm() {
        ServiceTemplate t = valid(VERSION + """
                imports:
                  - plain.yaml
                  - file: long.yaml
                    namespace_prefix: lib
                  - legacy: named.yaml
                  - legacy_long: { file: named-long.yaml, namespace_prefix: old }
                """);
        assertThat(t.imports()).extracting(i -> i.file().value())
                .containsExactly("plain.yaml", "long.yaml", "named.yaml", "named-long.yaml");
        assertThat(t.imports()).extracting(ImportDef::namespacePrefix).containsExactly(null, "lib", null, "old");
        assertThat(t.imports().get(0).file().location()).hasToString("t.yaml:3:5");
    }

    @Test
    void malformedImportsAreReported() {
        read(VERSION + """
                imports:
                  - 42
                  - { namespace_prefix: x, repository: r }
                  - file: a.yaml
                    repository: r
                """);
        assertThat(messages()).containsExactly(
                "t.yaml:3:5: expected an import as a file path or {file: ...}, got the integer 42",
                "t.yaml:4:5: expected an import as a file path or {file: ...}, got a map",
                "t.yaml:6:5: imports from repositories are not supported; import files by relative path");
    }

    @Test
    void readsTypeDefinitions() {
        ServiceTemplate t = valid(VERSION + """
                node_types:
                  my.Server:
                    derived_from: tosca.nodes.Root
                    version: 1.0
                    properties:
                      port: { type: integer, default: 80, constraints: [ { in_range: [1, 65535] } ] }
                      name: string
                    attributes:
                      url: { type: string }
                    capabilities:
                      endpoint: tosca.capabilities.Endpoint
                      admin: { type: tosca.capabilities.Endpoint.Admin, occurrences: [0, UNBOUNDED] }
                    requirements:
                      - host: tosca.capabilities.Compute
                      - db:
                          capability: tosca.capabilities.Endpoint
                          relationship: tosca.relationships.ConnectsTo
                          occurrences: [0, 2]
                    interfaces:
                      Standard:
                        create: scripts/create.sh
                        configure:
                          implementation:
                            primary: scripts/configure.sh
                            dependencies: [ scripts/lib.sh ]
                            timeout: 30
                          inputs:
                            level: { type: integer, default: 1 }
                """);
        TypeDef server = t.types(TypeKind.NODE).get("my.Server");
        assertThat(server.derivedFrom().value()).isEqualTo("tosca.nodes.Root");
        assertThat(server.properties()).containsOnlyKeys("port", "name");
        assertThat(server.properties().get("port").required()).isTrue();
        assertThat(server.properties().get("port").defaultValue().toPlain()).isEqualTo(80L);
        assertThat(server.properties().get("port").constraints()).extracting(ConstraintDef::operator)
                .containsExactly("in_range");
        assertThat(server.properties().get("name").type().value()).isEqualTo("string");
        assertThat(server.attributes().get("url").required()).isFalse();
        assertThat(server.capabilities().get("endpoint").type().value()).isEqualTo("tosca.capabilities.Endpoint");
        assertThat(server.capabilities().get("admin").occurrences()).isEqualTo(new Occurrences(0, Occurrences.UNBOUNDED));
        assertThat(server.requirements()).extracting(r -> r.name().value()).containsExactly("host", "db");
        assertThat(server.requirements().get(0).occurrences()).isEqualTo(Occurrences.EXACTLY_ONE);
        assertThat(server.requirements().get(1).occurrences()).isEqualTo(new Occurrences(0, 2));
        InterfaceDef standard = server.interfaces().get("Standard");
        assertThat(standard.operations()).containsOnlyKeys("create", "configure");
        assertThat(standard.operations().get("create").implementation().primary().value())
                .isEqualTo("scripts/create.sh");
        ImplementationDef configure = standard.operations().get("configure").implementation();
        assertThat(configure.primary().value()).isEqualTo("scripts/configure.sh");
        assertThat(configure.dependencies()).extracting(Name::value).containsExactly("scripts/lib.sh");
        assertThat(configure.timeoutSeconds()).isEqualTo(30L);
        assertThat(standard.operations().get("configure").inputs().get("level").definition()).isNotNull();
    }

    @Test
    void invalidOccurrencesAndTimeoutsAreReported() {
        read(VERSION + """
                node_types:
                  my.Node:
                    requirements:
                      - a: { capability: tosca.capabilities.Node, occurrences: [2, 1] }
                      - b: { capability: tosca.capabilities.Node, occurrences: 1 }
                    interfaces:
                      Standard:
                        create: { implementation: { primary: x.sh, timeout: 0 } }
                """);
        assertThat(messages()).containsExactly(
                "t.yaml:5:64: expected occurrences as [lower, upper] with 0 <= lower <= upper (upper may be "
                        + "UNBOUNDED), got [2, 1]",
                "t.yaml:6:64: expected occurrences as [lower, upper] with 0 <= lower <= upper (upper may be "
                        + "UNBOUNDED), got 1",
                "t.yaml:9:61: timeout must be a positive number of seconds, got 0");
    }

    @Test
    void readsNodeTemplates() {
        ServiceTemplate t = valid(VERSION + """
                topology_template:
                  inputs:
                    size: { type: integer, default: 1 }
                  node_templates:
                    app:
                      type: my.App
                      directives: [ selectable ]
                      properties:
                        size: { get_input: size }
                      requirements:
                        - host: server
                        - db:
                            node: database
                            capability: endpoint
                            relationship:
                              type: tosca.relationships.ConnectsTo
                              properties: { credential: { user: u } }
                      capabilities:
                        feature: { properties: { x: 1 } }
                      interfaces:
                        Standard:
                          create: create.sh
                  outputs:
                    where: { value: { get_attribute: [ app, url ] } }
                """);
        TopologyTemplate topology = t.topology();
        assertThat(topology.inputs()).containsOnlyKeys("size");
        NodeTemplateDef app = topology.nodeTemplates().get("app");
        assertThat(app.type().value()).isEqualTo("my.App");
        assertThat(app.directives()).containsExactly("selectable");
        assertThat(app.properties().get("size").toPlain()).isEqualTo(Map.of("get_input", "size"));
        assertThat(app.requirements()).extracting(r -> r.name().value()).containsExactly("host", "db");
        assertThat(app.requirements().get(0).node().value()).isEqualTo("server");
        RequirementAssignment db = app.requirements().get(1);
        assertThat(db.node().value()).isEqualTo("database");
        assertThat(db.capability().value()).isEqualTo("endpoint");
        assertThat(db.relationship().type().value()).isEqualTo("tosca.relationships.ConnectsTo");
        assertThat(app.capabilities().get("feature").properties().toPlain()).isEqualTo(Map.of("x", 1L));
        assertThat(app.interfaces().get("Standard").operations()).containsOnlyKeys("create");
        assertThat(topology.outputs().get("where").value().toPlain())
                .isEqualTo(Map.of("get_attribute", List.of("app", "url")));
    }

    @Test
    void malformedRequirementAssignmentsAreReported() {
        read(VERSION + """
                topology_template:
                  node_templates:
                    app:
                      type: my.App
                      requirements:
                        - host: server
                          db: database
                        - db: { capability: endpoint }
                        - other: { node: x, node_filter: {} }
                """);
        assertThat(messages()).containsExactly(
                "t.yaml:7:11: expected a requirement such as {host: node_name} in node template \"app\", got a map",
                "t.yaml:9:15: requirement \"db\" of node template \"app\" names no target \"node\"",
                "t.yaml:10:29: node_filter is not supported; name the target node with \"node\"");
    }
}
