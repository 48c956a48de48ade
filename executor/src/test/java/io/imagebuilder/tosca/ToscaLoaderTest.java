package io.imagebuilder.tosca;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.tosca.topology.Topology;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ToscaLoaderTest {

    @TempDir
    Path dir;

    @Test
    void phasesAreNamedInOrder() {
        assertThat(ToscaLoader.PHASES).containsExactly("reading", "resolving names and imports",
                "resolving type hierarchies", "rendering templates", "resolving functions", "building the topology");
    }

    @Test
    void everyProblemOfAPhaseIsReportedTogether() {
        write(dir, "t.yaml", VERSION + """
                colour: red
                topology_template:
                  node_templates:
                    a:
                      type: tosca.nodes.Root
                      proprties: {}
                    b:
                      typ: tosca.nodes.Root
                  outputs:
                    o:
                      description: no value
                """);
        InvalidInputException e = invalid(dir, "t.yaml");
        assertThat(e.phase()).isEqualTo("reading");
        assertThat(messages(e)).containsExactly(
                "t.yaml:2:1: unknown field \"colour\" in the service template; expected one of artifact_types, "
                        + "capability_types, data_types, description, dsl_definitions, group_types, imports, "
                        + "interface_types, metadata, namespace, node_types, policy_types, relationship_types, "
                        + "repositories, template_author, template_name, template_version, topology_template, "
                        + "tosca_definitions_version",
                "t.yaml:7:7: unknown field \"proprties\" in node template \"a\"; expected one of artifacts, "
                        + "attributes, capabilities, copy, description, directives, interfaces, metadata, "
                        + "node_filter, properties, requirements, type",
                "t.yaml:8:5: the node template \"b\" has no \"type\"",
                "t.yaml:9:7: unknown field \"typ\" in node template \"b\"; expected one of artifacts, attributes, "
                        + "capabilities, copy, description, directives, interfaces, metadata, node_filter, "
                        + "properties, requirements, type",
                "t.yaml:11:5: output \"o\" has no \"value\"");
    }

    @Test
    void theRunStopsAfterThePhaseThatFoundProblems() {
        // a type error (unknown parent) and a template error (a missing required property)
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Broken:
                    derived_from: my.Missing
                  my.Server:
                    derived_from: tosca.nodes.Root
                    properties:
                      port: { type: integer }
                topology_template:
                  node_templates:
                    server:
                      type: my.Server
                """);
        InvalidInputException e = invalid(dir, "t.yaml");
        assertThat(e.phase()).isEqualTo("resolving type hierarchies");
        assertThat(messages(e)).containsExactly("t.yaml:4:19: unknown node type \"my.Missing\"");

        // with the type error fixed, the template error shows
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Server:
                    derived_from: tosca.nodes.Root
                    properties:
                      port: { type: integer }
                topology_template:
                  node_templates:
                    server:
                      type: my.Server
                """);
        InvalidInputException next = invalid(dir, "t.yaml");
        assertThat(next.phase()).isEqualTo("rendering templates");
        assertThat(messages(next))
                .containsExactly("t.yaml:9:5: node \"server\" is missing required property \"port\" (integer)");
    }

    static Stream<Arguments> onePhaseEach() {
        return Stream.of(
                Arguments.of("reading", "topology_template: [oops]\n"),
                Arguments.of("resolving names and imports", """
                        imports: [a.yaml, b.yaml]
                        topology_template:
                          node_templates: {}
                        """),
                Arguments.of("resolving type hierarchies", """
                        node_types:
                          my.A: { derived_from: my.B }
                          my.B: { derived_from: my.A }
                        topology_template:
                          node_templates: {}
                        """),
                Arguments.of("rendering templates", """
                        topology_template:
                          node_templates:
                            n: { type: tosca.nodes.Nope }
                        """),
                Arguments.of("resolving functions", """
                        topology_template:
                          node_templates:
                            n:
                              type: tosca.nodes.Root
                              attributes:
                                state: { get_input: missing }
                        """),
                Arguments.of("building the topology", """
                        topology_template:
                          node_templates:
                            a:
                              type: tosca.nodes.Root
                              requirements: [ dependency: b ]
                            b:
                              type: tosca.nodes.Root
                              requirements: [ dependency: a ]
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onePhaseEach")
    void eachPhaseReportsUnderItsOwnName(String phase, String body) {
        String duplicate = VERSION + "node_types:\n  my.Same: { derived_from: tosca.nodes.Root }\n";
        write(dir, "a.yaml", duplicate);
        write(dir, "b.yaml", duplicate);
        write(dir, "t.yaml", VERSION + body);
        InvalidInputException e = invalid(dir, "t.yaml");
        assertThat(e.phase()).isEqualTo(phase);
        assertThat(e.problems()).isNotEmpty();
    }

    @Test
    void aValidTemplateLoads() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  inputs:
                    greeting: { type: string, default: hello }
                  node_templates:
                    n: { type: tosca.nodes.Root }
                  outputs:
                    said: { value: { get_input: greeting } }
                """);
        Topology t = load(dir, "t.yaml");
        assertThat(t.templateName()).isEqualTo("t.yaml");
        assertThat(t.nodes()).containsOnlyKeys("n");
        assertThat(t.outputs().get("said").value().toPlain()).isEqualTo("hello");
    }

    @Test
    void laterInputsFilesOverrideEarlierOnes() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  inputs:
                    a: { type: string }
                    b: { type: string }
                  node_templates: {}
                """);
        write(dir, "one.yaml", "a: from-one\nb: from-one\n");
        write(dir, "two.yaml", "b: from-two\n");
        Topology t = load(dir, "t.yaml", "one.yaml", "two.yaml");
        assertThat(t.inputs().get("a").value().toPlain()).isEqualTo("from-one");
        assertThat(t.inputs().get("b").value().toPlain()).isEqualTo("from-two");
    }

    @Test
    void inputsFileProblemsAreReportedWithTheTemplateOnes() {
        write(dir, "t.yaml", VERSION + "topology_template: {}\nextra: 1\n");
        write(dir, "in.yaml", "- not\n- a map\n");
        InvalidInputException e = invalid(dir, "t.yaml", "in.yaml", "missing.yaml");
        assertThat(e.phase()).isEqualTo("reading");
        assertThat(messages(e)).containsExactly(
                "in.yaml:1:1: an inputs file must be a map of input names to values, got a list",
                "missing.yaml: file not found",
                "t.yaml:3:1: unknown field \"extra\" in the service template; expected one of artifact_types, "
                        + "capability_types, data_types, description, dsl_definitions, group_types, imports, "
                        + "interface_types, metadata, namespace, node_types, policy_types, relationship_types, "
                        + "repositories, template_author, template_name, template_version, topology_template, "
                        + "tosca_definitions_version");
    }

    @Test
    void anInputsFileWithAnEmptyMapSetsNothing() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  inputs:
                    a: { type: string, default: x }
                  node_templates: {}
                """);
        write(dir, "in.yaml", "{}\n");
        assertThat(load(dir, "t.yaml", "in.yaml").inputs().get("a").value().toPlain()).isEqualTo("x");
    }

    @Test
    void aTemplateWithoutTopologyHasNothingToDeploy() {
        write(dir, "t.yaml", VERSION + "description: types only\n");
        InvalidInputException e = invalid(dir, "t.yaml");
        assertThat(e.phase()).isEqualTo("rendering templates");
        assertThat(messages(e)).containsExactly(
                "t.yaml:1:1: the service template has no topology_template; there is nothing to deploy");
    }
}
