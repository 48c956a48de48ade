package io.imagebuilder.tosca.topology;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesPhaseTest {

    @TempDir
    Path dir;

    private static final String TYPES = VERSION + """
            node_types:
              my.Server:
                derived_from: tosca.nodes.Root
                properties:
                  port: { type: integer, constraints: [ { in_range: [ 1, 65535 ] } ] }
                  name: { type: string, default: server }
                  note: { type: string, required: false }
                capabilities:
                  host:
                    type: tosca.capabilities.Compute
                    valid_source_types: [ my.App ]
                  api: tosca.capabilities.Endpoint
              my.App:
                derived_from: tosca.nodes.Root
                requirements:
                  - host:
                      capability: tosca.capabilities.Compute
                      node: my.Server
                      relationship: tosca.relationships.HostedOn
                  - api:
                      capability: tosca.capabilities.Endpoint
                      relationship: tosca.relationships.ConnectsTo
                      occurrences: [ 0, 2 ]
                interfaces:
                  Standard:
                    create:
                      implementation: scripts/create.sh
                      inputs:
                        level: 1
                        where: { get_property: [ SELF, host, name ] }
              my.Other:
                derived_from: tosca.nodes.Root
                requirements:
                  - host:
                      capability: tosca.capabilities.Compute
                      relationship: tosca.relationships.HostedOn
                      occurrences: [ 0, 1 ]
                  - link: { capability: tosca.capabilities.Root, occurrences: [ 0, 1 ] }
            """;

    private void types() {
        write(dir, "types.yaml", TYPES);
    }

    private InvalidInputException templateProblems(String topology) {
        types();
        write(dir, "t.yaml", VERSION + "imports: [ types.yaml ]\ntopology_template:\n" + topology);
        InvalidInputException e = invalid(dir, "t.yaml");
        assertThat(e.phase()).isEqualTo("rendering templates");
        return e;
    }

    @Test
    void inputsAreBoundAndChecked() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  inputs:
                    port: { type: integer, description: The port }
                    name: { type: string, default: web }
                    optional: { type: string, required: false }
                  node_templates: {}
                """);
        write(dir, "in.yaml", "port: 8080\n");
        Topology t = load(dir, "t.yaml", "in.yaml");
        assertThat(t.inputs().get("port").value().toPlain()).isEqualTo(8080L);
        assertThat(t.inputs().get("name").value().toPlain()).isEqualTo("web");
        assertThat(t.inputs().get("optional").value()).isNull();

        write(dir, "in.yaml", "portt: 8080\nname: 5\nfoo: x\n");
        InvalidInputException e = invalid(dir, "t.yaml", "in.yaml");
        assertThat(e.phase()).isEqualTo("rendering templates");
        assertThat(messages(e)).containsExactly(
                "in.yaml: missing required input \"port\" (integer: The port)",
                "in.yaml:1:1: unknown input \"portt\"; did you mean \"port\"?",
                "in.yaml:2:7: name: expected a string, got the integer 5 (quote it if you meant a string)",
                "in.yaml:3:1: unknown input \"foo\"; the template declares name, optional, port");
    }

    @Test
    void missingInputsWithoutAnInputsFileSayHowToGiveThem() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  inputs:
                    port: { type: integer }
                  node_templates: {}
                """);
        assertThat(messages(invalid(dir, "t.yaml")))
                .containsExactly("(no inputs file given; pass one with -i): missing required input \"port\" (integer)");
    }

    @Test
    void propertiesAreCheckedAndDefaultsFilled() {
        types();
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                topology_template:
                  node_templates:
                    server:
                      type: my.Server
                      properties:
                        port: 80
                        note: null
                """);
        Node server = load(dir, "t.yaml").node("server");
        assertThat(server.properties()).containsOnlyKeys("port", "name", "note");
        assertThat(server.properties().get("name").toPlain()).isEqualTo("server");
        assertThat(server.properties().get("note").toPlain()).isNull();
        assertThat(server.capabilities()).containsOnlyKeys("feature", "host", "api");
    }

    @Test
    void everyPropertyProblemOfTheTemplatesIsReported() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    one:
                      type: my.Server
                      properties:
                        port: 70000
                        nmae: x
                    two:
                      type: my.Server
                      properties:
                        port: eighty
                        colour: red
                    three:
                      type: my.Sever
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:8:15: node \"one\" property port: value 70000 must be in the range [1, 65535]",
                "t.yaml:9:9: node \"one\" has no property \"nmae\"; did you mean \"name\"?",
                "t.yaml:13:15: node \"two\" property port: expected an integer, got the string \"eighty\"",
                "t.yaml:14:9: node \"two\" has no property \"colour\"; expected one of name, note, port",
                "t.yaml:16:13: unknown node type \"my.Sever\"; did you mean \"my.Server\"?");
    }

    @Test
    void missingRequiredPropertiesAreReportedAtTheTemplate() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    server:
                      type: my.Server
                """);
        assertThat(messages(e)).containsExactly("t.yaml:5:5: node \"server\" is missing required property \"port\" "
                + "(integer)");
    }

    @Test
    void requirementsAreBoundToTargetsAndCapabilities() {
        types();
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                topology_template:
                  node_templates:
                    app:
                      type: my.App
                      requirements:
                        - host: server
                        - api: { node: server, capability: api }
                        - api:
                            node: server
                            relationship:
                              type: tosca.relationships.ConnectsTo
                              properties: { credential: { user: me, token: t0ken } }
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        Node app = load(dir, "t.yaml").node("app");
        assertThat(app.requirements()).extracting(Relationship::requirement).containsExactly("host", "api", "api");
        Relationship host = app.requirements().get(0);
        assertThat(host.source()).isEqualTo("app");
        assertThat(host.target()).isEqualTo("server");
        assertThat(host.capability()).isEqualTo("host");
        assertThat(host.type().name()).isEqualTo("tosca.relationships.HostedOn");
        assertThat(host.isHostedOn()).isTrue();
        assertThat(app.host()).isEqualTo("server");
        assertThat(app.requirements().get(1).capability()).isEqualTo("api");
        assertThat(app.requirements().get(2).type().name()).isEqualTo("tosca.relationships.ConnectsTo");
        assertThat(app.requirements().get(2).properties().get("credential").toPlain())
                .isEqualTo(Map.of("user", "me", "token", "t0ken", "token_type", "password"));
    }

    @Test
    void requirementProblemsAreReported() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    app:
                      type: my.App
                      requirements:
                        - host: servr
                        - hots: server
                        - api: { node: server, capability: feature }
                    self:
                      type: my.Other
                      requirements:
                        - host: self
                    wrong:
                      type: my.App
                      requirements:
                        - host: other
                    other:
                      type: my.Other
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:8:17: requirement \"host\" of node \"app\" names node \"servr\", which does not exist; "
                        + "did you mean \"server\"?",
                "t.yaml:9:11: node \"app\" (my.App) has no requirement \"hots\"; did you mean \"host\"?",
                "t.yaml:10:44: capability \"feature\" of node \"server\" is a tosca.capabilities.Node, but "
                        + "requirement \"api\" needs a tosca.capabilities.Endpoint",
                "t.yaml:14:17: node \"self\" cannot fulfil its own requirement \"host\"",
                "t.yaml:18:17: requirement \"host\" of node \"wrong\" needs a node of type my.Server, but \"other\" "
                        + "is a my.Other");
    }

    @Test
    void occurrencesAndValidSourceTypesAreEnforced() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    app:
                      type: my.App
                      requirements:
                        - host: server
                        - api: server
                        - api: server
                        - api: server
                    other:
                      type: my.Other
                      requirements:
                        - host: server
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:5:5: node \"app\" assigns requirement \"api\" 3 times; at most 2 allowed",
                "t.yaml:15:17: capability \"host\" of node \"server\" accepts only sources of type my.App; \"other\" "
                        + "is a my.Other");
    }

    @Test
    void sourcesDerivedFromAValidSourceTypeAreAccepted() {
        types();
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                node_types:
                  my.SpecialApp:
                    derived_from: my.App
                topology_template:
                  node_templates:
                    app:
                      type: my.SpecialApp
                      requirements: [ host: server ]
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        assertThat(load(dir, "t.yaml").node("app").host()).isEqualTo("server");
    }

    @Test
    void aComputeMayBeHostedOnACompute() {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.VirtualMachine:
                    derived_from: tosca.nodes.Compute
                    requirements:
                      - host:
                          capability: tosca.capabilities.Compute
                          relationship: tosca.relationships.HostedOn
                topology_template:
                  node_templates:
                    workstation:
                      type: tosca.nodes.Compute
                    vm:
                      type: my.VirtualMachine
                      requirements: [ host: workstation ]
                """);
        assertThat(load(dir, "t.yaml").node("vm").host()).isEqualTo("workstation");
    }

    /** A node type whose create operation maps its outputs as given (lines indented for the outputs key). */
    private void nodeWithOutputs(String outputs) {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Node:
                    derived_from: tosca.nodes.Root
                    attributes:
                      id: { type: string }
                    capabilities:
                      feature: { type: tosca.capabilities.Node }
                    interfaces:
                      Standard:
                        operations:
                          create:
                            implementation: create.yml
                            outputs:
                """ + outputs + """
                topology_template:
                  node_templates:
                    n:
                      type: my.Node
                """);
    }

    @Test
    void operationOutputsMapToAttributes() {
        nodeWithOutputs("              new_id: [ SELF, id ]\n");
        Operation create = load(dir, "t.yaml").node("n").interfaces().get("Standard").operations().get("create");
        assertThat(create.outputs()).singleElement().satisfies(m -> {
            assertThat(m.output()).isEqualTo("new_id");
            assertThat(m.entity()).isEqualTo("SELF");
            assertThat(m.attribute()).isEqualTo("id");
        });
    }

    @Test
    void badOutputMappingsAreReported() {
        nodeWithOutputs("""
                              a: [ SELF ]
                              b: [ HOST, id ]
                              c: [ SELF, feature, id ]
                              d: id
                """);
        assertThat(messages(invalid(dir, "t.yaml"))).containsExactly(
                "t.yaml:15:18: output \"a\" of operation \"create\": expected an attribute mapping [ SELF | SOURCE | "
                        + "TARGET, attribute name ], got a list",
                "t.yaml:16:18: output \"b\" of operation \"create\": expected an attribute mapping [ SELF | SOURCE | "
                        + "TARGET, attribute name ], got a list",
                "t.yaml:17:18: output \"c\" of operation \"create\": mapping an output to a capability attribute is "
                        + "not supported; map it to an attribute of the node",
                "t.yaml:18:18: output \"d\" of operation \"create\": expected an attribute mapping [ SELF | SOURCE | "
                        + "TARGET, attribute name ], got the string \"id\"");
    }

    @Test
    void outputMappingsMustNameAnAttributeThatExists() {
        nodeWithOutputs("""
                              new_id: [ SELF, idd ]
                              other: [ SOURCE, id ]
                """);
        assertThat(messages(invalid(dir, "t.yaml"))).containsExactly(
                "t.yaml:15:23: get_attribute: node \"n\" has no attribute or property \"idd\"; did you mean \"id\"?",
                "t.yaml:16:22: get_attribute: SOURCE can be used only in relationship operations; name a node "
                        + "template instead");
    }

    @Test
    void relationshipTypesMustFitTheirTargets() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    app:
                      type: my.App
                      requirements:
                        - host: server
                        - api:
                            node: server
                            relationship: tosca.relationships.HostedOn
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        assertThat(messages(e)).contains(
                "t.yaml:11:27: requirement \"api\" needs a relationship of type tosca.relationships.ConnectsTo, but "
                        + "tosca.relationships.HostedOn does not derive from it");
    }

    @Test
    void relationshipsCanTargetOnlyTheirValidTargetTypes() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    other:
                      type: my.Other
                      requirements:
                        - link:
                            node: server
                            capability: api
                            relationship: tosca.relationships.HostedOn
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:9:13: relationship tosca.relationships.HostedOn can target only tosca.capabilities.Container, "
                        + "not capability \"api\" (tosca.capabilities.Endpoint)");
    }

    @Test
    void relationshipTemplatesCanBeNamedByRequirements() {
        types();
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                topology_template:
                  relationship_templates:
                    db_link:
                      type: tosca.relationships.ConnectsTo
                      properties:
                        credential: { user: app, token: secret-token }
                      interfaces:
                        Configure:
                          pre_configure_source: link.sh
                  node_templates:
                    app:
                      type: my.App
                      requirements:
                        - host: server
                        - api: { node: server, relationship: db_link }
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        Relationship api = load(dir, "t.yaml").node("app").requirements().get(1);
        assertThat(api.type().name()).isEqualTo("tosca.relationships.ConnectsTo");
        assertThat(api.properties()).containsKey("credential");
        assertThat(api.interfaces().get("Configure").operations().get("pre_configure_source").implementation()
                .primary()).isEqualTo("link.sh");
    }

    @Test
    void interfacesAndOperationsAreRendered() {
        types();
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                topology_template:
                  node_templates:
                    app:
                      type: my.App
                      requirements: [ host: server ]
                      interfaces:
                        Standard:
                          create:
                            inputs: { level: 2, extra: x }
                          configure:
                            implementation: { primary: configure.sh, timeout: 60 }
                    server:
                      type: my.Server
                      properties: { port: 1 }
                """);
        Node app = load(dir, "t.yaml").node("app");
        Interface standard = app.interfaces().get("Standard");
        Operation create = standard.operations().get("create");
        assertThat(create.implementation().primary()).isEqualTo("scripts/create.sh");
        // implementation files are relative to the file that names them
        assertThat(Path.of(create.implementation().baseDirectory())).isEqualTo(dir);
        assertThat(create.inputs()).containsOnlyKeys("level", "where", "extra");
        assertThat(create.inputs().get("level").toPlain()).isEqualTo(2L);
        // functions are resolved in the next phase
        assertThat(create.inputs().get("where").toPlain()).isEqualTo("server");
        Operation configure = standard.operations().get("configure");
        assertThat(configure.implementation().primary()).isEqualTo("configure.sh");
        assertThat(configure.implementation().timeoutSeconds()).isEqualTo(60L);
        assertThat(standard.operations().get("start").implementation()).isNull();
    }

    @Test
    void unknownInterfacesCapabilitiesAndGroupMembersAreReported() {
        InvalidInputException e = templateProblems("""
                  node_templates:
                    server:
                      type: my.Server
                      properties: { port: 1 }
                      capabilities:
                        hots: { properties: {} }
                      interfaces:
                        Standrd:
                          create: x.sh
                  groups:
                    g:
                      type: tosca.groups.Root
                      members: [ server, servre ]
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:9:9: node \"server\" has no capability \"hots\"; did you mean \"host\"?",
                "t.yaml:11:9: node \"server\" has no interface \"Standrd\"; did you mean \"Standard\"?",
                "t.yaml:16:26: group \"g\" names \"servre\", which is not a node template; did you mean \"server\"?");
    }

    @Test
    void groupsAndPoliciesAreRendered() {
        types();
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                topology_template:
                  node_templates:
                    server:
                      type: my.Server
                      properties: { port: 1 }
                  groups:
                    servers: { type: tosca.groups.Root, members: [ server ] }
                  policies:
                    - placement: { type: tosca.policies.Placement, targets: [ server ] }
                """);
        Topology t = load(dir, "t.yaml");
        assertThat(t.groups()).extracting(Group::name).containsExactly("servers");
        assertThat(t.groups().get(0).members()).isEqualTo(List.of("server"));
        assertThat(t.policies()).extracting(g -> g.type().name()).containsExactly("tosca.policies.Placement");
    }
}
