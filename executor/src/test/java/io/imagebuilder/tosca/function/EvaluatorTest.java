package io.imagebuilder.tosca.function;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    static final String TYPES = VERSION + """
            data_types:
              my.Secret:
                derived_from: string
                metadata: { secret: "true" }
            node_types:
              my.Machine:
                derived_from: tosca.nodes.Root
                properties:
                  address: { type: string }
                  region: { type: string, default: eu-west }
                attributes:
                  ip: { type: string }
                capabilities:
                  host:
                    type: tosca.capabilities.Container
                    properties:
                      slots: { type: integer, default: 4 }
              my.Runtime:
                derived_from: tosca.nodes.Root
                properties:
                  version: { type: string }
                capabilities:
                  host: tosca.capabilities.Container
                requirements:
                  - host:
                      capability: tosca.capabilities.Container
                      node: my.Machine
                      relationship: tosca.relationships.HostedOn
              my.Database:
                derived_from: tosca.nodes.Root
                properties:
                  name: { type: string }
                capabilities:
                  sql: tosca.capabilities.Endpoint.Database
              my.App:
                derived_from: tosca.nodes.Root
                properties:
                  server: { type: string, required: false }
                  greeting: { type: string, required: false }
                  joined: { type: string, required: false }
                  second: { type: string, required: false }
                  own: { type: string, required: false }
                  host_address: { type: string, required: false }
                  runtime_version: { type: string, required: false }
                  db_name: { type: string, required: false }
                  db_protocol: { type: string, required: false }
                  slots: { type: integer, required: false }
                  url: { type: string, required: false }
                  port: { type: integer, required: false }
                requirements:
                  - host:
                      capability: tosca.capabilities.Container
                      node: my.Runtime
                      relationship: tosca.relationships.HostedOn
                      occurrences: [ 0, 1 ]
                  - db:
                      capability: tosca.capabilities.Endpoint.Database
                      relationship: tosca.relationships.ConnectsTo
                      occurrences: [ 0, 1 ]
            """;

    static final String TOPOLOGY = VERSION + """
            imports: [ types.yaml ]
            topology_template:
              inputs:
                cfg: { type: map }
                password: { type: my.Secret }
                words: { type: list, entry_schema: { type: string } }
              node_templates:
                machine:
                  type: my.Machine
                  properties: { address: 10.0.0.5 }
                runtime:
                  type: my.Runtime
                  properties: { version: "17" }
                  requirements: [ host: machine ]
                database:
                  type: my.Database
                  properties: { name: orders }
                app:
                  type: my.App
                  properties:
                    server: { get_input: [ cfg, servers, 1, host ] }
                    greeting: { concat: [ "Hello, ", { get_input: [ words, 0 ] }, "!" ] }
                    joined: { join: [ { get_input: words }, "-" ] }
                    second: { token: [ "a.b.c", ".", 1 ] }
                    own: { get_property: [ SELF, greeting ] }
                    host_address: { get_property: [ HOST, address ] }
                    runtime_version: { get_property: [ HOST, version ] }
                    db_name: { get_property: [ SELF, db, name ] }
                    db_protocol: { get_property: [ database, sql, protocol ] }
                    slots: { get_property: [ machine, host, slots ] }
                    url: { concat: [ "https://admin:", { get_input: password }, "@", { get_input: [ cfg, servers, 0, host ] } ] }
                  requirements:
                    - host: runtime
                    - db:
                        node: database
                        relationship:
                          type: tosca.relationships.ConnectsTo
                          properties: { credential: { user: app, token: { get_input: password } } }
                          interfaces:
                            Configure:
                              pre_configure_source:
                                implementation: link.sh
                                inputs:
                                  target_name: { get_property: [ TARGET, name ] }
                                  source_greeting: { get_property: [ SOURCE, greeting ] }
                                  user: { get_property: [ SELF, credential, user ] }
                                  target_ip: { get_attribute: [ TARGET, sql, ip_address ] }
                  interfaces:
                    Standard:
                      configure:
                        implementation: configure.sh
                        inputs:
                          id: { get_attribute: [ SELF, tosca_id ] }
                          host_ip: { get_attribute: [ HOST, ip ] }
                          db_id: { get_attribute: [ SELF, db, tosca_id ] }
                          mixed: { concat: [ "http://", { get_attribute: [ HOST, ip ] }, ":", { get_property: [ SELF, slots ] } ] }
                          region: { get_property: [ HOST, region ] }
              outputs:
                url: { value: { get_property: [ app, url ] } }
                address: { value: { get_attribute: [ machine, ip ] } }
            """;

    static final String INPUTS = """
            cfg:
              servers:
                - { host: a.example }
                - { host: b.example }
            password: s3cr3t-pw
            words: [ one, two, three ]
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        write(dir, "types.yaml", TYPES);
        write(dir, "in.yaml", INPUTS);
    }

    private Topology topology() {
        write(dir, "t.yaml", TOPOLOGY);
        return load(dir, "t.yaml", "in.yaml");
    }

    private static Object plain(Map<String, YNode> values, String key) {
        return values.get(key).toPlain();
    }

    private static Map<String, Object> call(String function, Object... args) {
        return Map.of(function, List.of(args));
    }

    @Test
    void getInputFollowsKeysAndIndexes() {
        Node app = topology().node("app");
        assertThat(plain(app.properties(), "server")).isEqualTo("b.example");
    }

    @Test
    void stringFunctions() {
        Node app = topology().node("app");
        assertThat(plain(app.properties(), "greeting")).isEqualTo("Hello, one!");
        assertThat(plain(app.properties(), "joined")).isEqualTo("one-two-three");
        assertThat(plain(app.properties(), "second")).isEqualTo("b");
    }

    @Test
    void getPropertyOfSelfHostRequirementAndCapability() {
        Node app = topology().node("app");
        assertThat(plain(app.properties(), "own")).isEqualTo("Hello, one!");
        // HOST goes down the HostedOn chain to the first node with the property: runtime, then machine
        assertThat(plain(app.properties(), "runtime_version")).isEqualTo("17");
        assertThat(plain(app.properties(), "host_address")).isEqualTo("10.0.0.5");
        assertThat(plain(app.properties(), "db_name")).isEqualTo("orders");
        assertThat(plain(app.properties(), "db_protocol")).isEqualTo("tcp");
        assertThat(plain(app.properties(), "slots")).isEqualTo(4L);
        Operation configure = app.interfaces().get("Standard").operations().get("configure");
        assertThat(plain(configure.inputs(), "region")).isEqualTo("eu-west");
    }

    @Test
    void aNameThatIsBothACapabilityAndARequirementMeansTheOneThatDefinesTheValue() {
        write(dir, "both.yaml", VERSION + """
                imports: [ types.yaml ]
                node_types:
                  my.Reader:
                    derived_from: tosca.nodes.Root
                    properties:
                      address: { type: string }
                      slots: { type: integer }
                    interfaces:
                      Standard:
                        create:
                          implementation: read.sh
                          inputs:
                            ip: { get_attribute: [ runtime, host, ip ] }
                topology_template:
                  node_templates:
                    machine:
                      type: my.Machine
                      properties: { address: 10.0.0.5 }
                    runtime:
                      type: my.Runtime
                      properties: { version: "17" }
                      requirements: [ host: machine ]
                    reader:
                      type: my.Reader
                      properties:
                        address: { get_property: [ runtime, host, address ] }
                        slots: { get_property: [ machine, host, slots ] }
                """);
        Topology t = load(dir, "both.yaml");
        Node reader = t.node("reader");
        // runtime's host capability defines no address and no ip; its host requirement's target does
        assertThat(plain(reader.properties(), "address")).isEqualTo("10.0.0.5");
        assertThat(plain(reader.interfaces().get("Standard").operations().get("create").inputs(), "ip"))
                .isEqualTo(call("get_attribute", "machine", "ip"));
        assertThat(plain(reader.properties(), "slots")).isEqualTo(4L);
    }

    @Test
    void getAttributeIsDeferredWithEntitiesNamed() {
        Topology t = topology();
        Operation configure = t.node("app").interfaces().get("Standard").operations().get("configure");
        assertThat(plain(configure.inputs(), "id")).isEqualTo(call("get_attribute", "app", "tosca_id"));
        assertThat(plain(configure.inputs(), "host_ip")).isEqualTo(call("get_attribute", "machine", "ip"));
        assertThat(plain(configure.inputs(), "db_id")).isEqualTo(call("get_attribute", "database", "tosca_id"));
        assertThat(plain(configure.inputs(), "mixed")).isEqualTo(Map.of("concat",
                List.of("http://", call("get_attribute", "machine", "ip"), ":", 4L)));
        assertThat(Evaluator.isDeferred(configure.inputs().get("mixed"))).isTrue();
        assertThat(Evaluator.isDeferred(configure.inputs().get("region"))).isFalse();
        assertThat(t.outputs().get("address").value().toPlain()).isEqualTo(call("get_attribute", "machine", "ip"));
    }

    @Test
    void relationshipOperationsSeeSourceTargetAndSelf() {
        Topology t = topology();
        Operation pre = t.node("app").requirements().get(1).interfaces().get("Configure").operations()
                .get("pre_configure_source");
        assertThat(plain(pre.inputs(), "target_name")).isEqualTo("orders");
        assertThat(plain(pre.inputs(), "source_greeting")).isEqualTo("Hello, one!");
        assertThat(plain(pre.inputs(), "user")).isEqualTo("app");
        assertThat(plain(pre.inputs(), "target_ip")).isEqualTo(call("get_attribute", "database", "sql", "ip_address"));
    }

    @Test
    void secretsPropagateThroughFunctions() {
        Topology t = topology();
        Node app = t.node("app");
        YNode url = app.properties().get("url");
        assertThat(url.toPlain()).isEqualTo("https://admin:s3cr3t-pw@a.example");
        assertThat(t.secrets().isSecret(url)).isTrue();
        assertThat(t.secrets().masked(url)).isEqualTo("****");
        // an output reading the property is the same secret value
        assertThat(t.secrets().isSecret(t.outputs().get("url").value())).isTrue();
        // a secret inside a relationship property
        // (a property named credential is a secret as a whole)
        assertThat(t.secrets().masked(app.requirements().get(1).properties().get("credential"))).isEqualTo("****");
        // values computed without secrets stay visible
        assertThat(t.secrets().isSecret(app.properties().get("greeting"))).isFalse();
    }

    private InvalidInputException functionProblems(String nodeTemplates) {
        write(dir, "t.yaml", VERSION + """
                imports: [ types.yaml ]
                topology_template:
                  inputs:
                    cfg: { type: map }
                    password: { type: my.Secret }
                    words: { type: list, entry_schema: { type: string } }
                  node_templates:
                """ + nodeTemplates);
        InvalidInputException e = invalid(dir, "t.yaml", "in.yaml");
        assertThat(e.phase()).isEqualTo("resolving functions");
        return e;
    }

    @Test
    void getInputProblemsAreLocatedAtTheCall() {
        InvalidInputException e = functionProblems("""
                    app:
                      type: my.App
                      properties:
                        server: { get_input: pasword }
                        greeting: { get_input: [ cfg, hosts ] }
                        joined: { get_input: [ cfg, servers, 5 ] }
                        second: { get_input: [ password, inner ] }
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:12:17: get_input: no input named \"pasword\"; did you mean \"password\"?",
                "t.yaml:13:19: cannot find \"hosts\" in input \"cfg\" (it is a map)",
                "t.yaml:14:17: cannot find index 5 in input \"cfg\".servers (it is a list)",
                "t.yaml:15:17: cannot find \"inner\" in input \"password\" (it is a secret value)");
        assertThat(String.join("\n", messages(e))).doesNotContain("s3cr3t");
    }

    @Test
    void getPropertyProblemsAreReported() {
        InvalidInputException e = functionProblems("""
                    database:
                      type: my.Database
                      properties:
                        name: { get_property: [ HOST, name ] }
                    app:
                      type: my.App
                      properties:
                        server: { get_property: [ SELF, greting ] }
                        greeting: { get_property: [ SOURCE, name ] }
                        joined: { get_property: [ databse, name ] }
                """);
        // (the property left unset by the failed call is reported too)
        assertThat(messages(e)).contains(
                "t.yaml:12:15: get_property: HOST is used, but node \"database\" is not hosted on any node (it has no "
                        + "HostedOn requirement)",
                "t.yaml:16:17: get_property: node \"app\" (my.App) has no property \"greting\"; did you mean "
                        + "\"greeting\"?",
                "t.yaml:17:19: get_property: SOURCE can be used only in relationship operations; name a node "
                        + "template instead",
                "t.yaml:18:17: get_property: no node template named \"databse\"; did you mean \"database\"?");
    }

    @Test
    void propertiesReferringToEachOtherAreACycle() {
        InvalidInputException e = functionProblems("""
                    app:
                      type: my.App
                      properties:
                        server: { get_property: [ SELF, greeting ] }
                        greeting: { get_property: [ SELF, server ] }
                """);
        assertThat(messages(e)).singleElement().asString()
                .endsWith("get_property: property \"server\" of node \"app\" refers back to itself");
    }

    @Test
    void resolvedValuesAreCheckedAgainstTheirTypes() {
        InvalidInputException e = functionProblems("""
                    app:
                      type: my.App
                      properties:
                        port: { get_input: [ words, 0 ] }
                        greeting: { concat: [ "x", { get_input: words } ] }
                        second: { token: [ { get_input: password }, ":", 3 ] }
                """);
        assertThat(String.join("\n", messages(e))).doesNotContain("s3cr3t");
        assertThat(messages(e)).containsExactly(
                // a value of the wrong kind is shown where it is written
                "in.yaml:6:8: concat: expected a string, number or boolean, got a list",
                "in.yaml:6:10: node \"app\" property port: expected an integer, got the string \"one\"",
                "t.yaml:14:58: token: index 3 is out of range; \"****\" has 1 token");
    }

    @Test
    void joinOfASecretThatIsNoListDoesNotShowIt() {
        InvalidInputException e = functionProblems("""
                    app:
                      type: my.App
                      properties:
                        joined: { join: [ { get_input: password } ] }
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:12:27: join: the first argument must be a list of strings, got a secret value");
    }

    @Test
    void callsOfTheWrongShapeAreReported() {
        InvalidInputException e = functionProblems("""
                    app:
                      type: my.App
                      properties:
                        server: { get_property: [ SELF ] }
                        greeting: { concat: x }
                        joined: { token: [ a, b ] }
                        second: { get_nodes_of_type: my.App }
                """);
        assertThat(messages(e)).containsExactly(
                "t.yaml:12:33: get_property expects [SELF|SOURCE|TARGET|HOST|node_name, (requirement_or_capability,) "
                        + "name, key_or_index...], got a list of 1",
                "t.yaml:13:29: concat takes a list of values to join, e.g. concat: [\"http://\", host]",
                "t.yaml:14:26: token takes [string, separator_characters, index]",
                "t.yaml:15:19: function \"get_nodes_of_type\" is not supported (see docs/tosca-deviations.md)");
    }
    @Test
    void aRunOfSeparatorCharactersIsOneDelimiter() {
        write(dir, "r.yaml", VERSION + """
                node_types:
                  my.Words:
                    derived_from: tosca.nodes.Root
                    properties:
                      third: { type: string }
                      first: { type: string }
                topology_template:
                  node_templates:
                    w:
                      type: my.Words
                      properties:
                        third: { token: [ "t-*-o-*-s-*-c-*-a", "-*", 2 ] }
                        first: { token: [ "-a-b", "-", 0 ] }
                """);
        Node w = load(dir, "r.yaml").node("w");
        assertThat(w.properties().get("third").toPlain()).isEqualTo("s");
        assertThat(w.properties().get("first").toPlain()).isEqualTo("");
    }

    private static final String LINKED = VERSION + """
            relationship_types:
              my.Link:
                derived_from: tosca.relationships.DependsOn
                properties:
                  label: { type: string, default: plain }
                attributes:
                  seen: { type: string, default: never }
            node_types:
              my.Peer:
                derived_from: tosca.nodes.Root
                properties:
                  label: { type: string, required: false }
                requirements:
                  - peer: { capability: tosca.capabilities.Node, relationship: my.Link, occurrences: [ 0, 2 ] }
            topology_template:
              relationship_templates:
                used_once:
                  type: my.Link
                  properties: { label: once }
                  attributes: { seen: at the template }
                used_twice:
                  type: my.Link
                unused:
                  type: my.Link
                  properties: { label: { get_property: [ SOURCE, label ] } }
                  attributes: { seen: unused template }
              node_templates:
                a:
                  type: my.Peer
                  requirements:
                    - peer: { node: b, relationship: used_once }
                    - peer: { node: b, relationship: used_twice }
                b:
                  type: my.Peer
                  requirements:
                    - peer: { node: c, relationship: used_twice }
                c:
                  type: my.Peer
              outputs:
            """;

    @Test
    void functionsNameRelationshipTemplates() {
        write(dir, "r.yaml", LINKED + """
                    label: { value: { get_property: [ used_once, label ] } }
                    seen: { value: { get_attribute: [ used_once, seen ] } }
                    unused_seen: { value: { get_attribute: [ unused, seen ] } }
                """);
        Topology t = load(dir, "r.yaml");
        assertThat(t.outputs().get("label").value().toPlain()).isEqualTo("once");
        // attributes are known only at run time, so the call is kept as written
        assertThat(t.outputs().get("seen").value().toPlain())
                .isEqualTo(Map.of("get_attribute", List.of("used_once", "seen")));
        // a template no requirement uses never runs: its attribute is what the template says
        assertThat(t.outputs().get("unused_seen").value().toPlain()).isEqualTo("unused template");
        assertThat(t.relationshipsOf("used_twice")).hasSize(2);
    }

    @Test
    void relationshipTemplatesThatAreAmbiguousOrHaveNoEndsAreReported() {
        write(dir, "r.yaml", LINKED + """
                    twice: { value: { get_property: [ used_twice, label ] } }
                    unused: { value: { get_property: [ unused, label ] } }
                    neither: { value: { get_property: [ nowhere, label ] } }
                """);
        assertThat(messages(invalid(dir, "r.yaml"))).containsExactly(
                "r.yaml:26:28: get_property: relationship template \"unused\" is used by no requirement, so it has no "
                        + "SOURCE",
                "r.yaml:41:21: get_property: relationship template \"used_twice\" is used by 2 requirements (a.peer, "
                        + "b.peer), so it is unclear which one is meant",
                "r.yaml:43:23: get_property: no node template or relationship template named \"nowhere\"");
    }
    /** A node type with a conf artifact whose create operation takes the given inputs; more goes in the template. */
    private void filesNode(String file, String inputs, String template) {
        write(dir, file, VERSION + """
                node_types:
                  my.Files:
                    derived_from: tosca.nodes.Root
                    artifacts:
                      conf: { file: files/app.conf, type: tosca.artifacts.File }
                    interfaces:
                      Standard:
                        operations:
                          create:
                            implementation: create.yml
                            inputs:
                """ + inputs + """
                topology_template:
                  node_templates:
                    f:
                      type: my.Files
                """ + template);
    }

    @Test
    void getArtifactIsResolvedWhenTheOperationRunsAndItsMistakesAreReported() {
        filesNode("a.yaml", """
                              conf: { get_artifact: [ SELF, conf ] }
                              data: { get_artifact: [ SELF, data, /srv/data, true ] }
                """, """
                      artifacts:
                        data: { file: files/data.bin, type: tosca.artifacts.File }
                """);
        Operation create = load(dir, "a.yaml").node("f").interfaces().get("Standard").operations().get("create");
        assertThat(create.inputs().get("conf").toPlain()).isEqualTo(Map.of("get_artifact", List.of("f", "conf")));
        assertThat(create.inputs().get("data").toPlain())
                .isEqualTo(Map.of("get_artifact", List.of("f", "data", "/srv/data", true)));

        filesNode("b.yaml", """
                              a: { get_artifact: [ SELF, cnf ] }
                              b: { get_artifact: [ SELF ] }
                              c: { get_artifact: [ SELF, conf, here, maybe ] }
                """, "");
        assertThat(messages(invalid(dir, "b.yaml"))).containsExactly(
                "b.yaml:13:18: get_artifact: node \"f\" (my.Files) has no artifact \"cnf\"; did you mean \"conf\"?",
                "b.yaml:14:34: get_artifact expects [SELF|SOURCE|TARGET|HOST|node_name, artifact_name, (location,) "
                        + "(remove)], got a list of 1",
                "b.yaml:15:54: get_artifact: remove must be true or false, got the string \"maybe\"");
    }

    @Test
    void aGetArtifactLocationMustBeAnAbsolutePathOrLocalFile() {
        write(dir, "l.yaml", VERSION + """
                node_types:
                  my.Files:
                    derived_from: tosca.nodes.Root
                    attributes:
                      where: { type: string }
                    artifacts:
                      conf: { file: files/app.conf, type: tosca.artifacts.File }
                    interfaces:
                      Standard:
                        operations:
                          create:
                            implementation: create.yml
                            inputs:
                              relative: { get_artifact: [ SELF, conf, conf/app.conf ] }
                              number: { get_artifact: [ SELF, conf, 5, true ] }
                              list: { get_artifact: [ SELF, conf, [ /srv ] ] }
                              input: { get_artifact: [ SELF, conf, { get_input: where } ] }
                              home: { get_artifact: [ SELF, conf, { concat: [ "~/", { get_input: where } ] } ] }
                              later: { get_artifact: [ SELF, conf, { get_attribute: [ SELF, where ] } ] }
                              fine: { get_artifact: [ SELF, conf, { concat: [ "/", { get_input: where } ] } ] }
                topology_template:
                  inputs:
                    where: { type: string, default: srv }
                  node_templates:
                    f:
                      type: my.Files
                      attributes:
                        where: relative
                """);
        // an attribute is known only when the operation runs, and is checked then
        assertThat(messages(invalid(dir, "l.yaml"))).containsExactly(
                "l.yaml:15:55: get_artifact: location must be an absolute path or LOCAL_FILE, got the string "
                        + "\"conf/app.conf\"",
                "l.yaml:16:53: get_artifact: location must be an absolute path or LOCAL_FILE, got the integer 5",
                "l.yaml:17:51: get_artifact: location must be an absolute path or LOCAL_FILE, got a list",
                "l.yaml:18:52: get_artifact: location must be an absolute path or LOCAL_FILE, got the string \"srv\"",
                "l.yaml:19:51: get_artifact: location must be an absolute path or LOCAL_FILE, got the string "
                        + "\"~/srv\"");
    }
}
