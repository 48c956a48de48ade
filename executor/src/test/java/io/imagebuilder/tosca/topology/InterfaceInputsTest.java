package io.imagebuilder.tosca.topology;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs declared on an interface (TOSCA 1.3 §3.7.5, §3.7.6) reach every operation of that interface. */
class InterfaceInputsTest {

    @TempDir
    Path dir;

    private static Map<String, Object> plain(Operation op) {
        Map<String, Object> out = new LinkedHashMap<>();
        op.inputs().forEach((k, v) -> out.put(k, v.toPlain()));
        return out;
    }

    @Test
    void interfaceInputsMergeTemplateOverTypeAndOperationOverInterface() {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Base:
                    derived_from: tosca.nodes.Root
                    properties:
                      where: { type: string, default: /srv }
                    interfaces:
                      Standard:
                        inputs:
                          marker: { type: string, value: { get_input: marker } }
                          where: { type: string, default: { get_property: [ SELF, where ] } }
                          level: { type: integer, default: 1 }
                          inherited: { type: string, default: from the base type }
                        operations:
                          create: create.yml
                          configure:
                            implementation: configure.yml
                            inputs:
                              level: { type: integer, default: 5 }
                          delete: delete.yml
                  my.Derived:
                    derived_from: my.Base
                    interfaces:
                      Standard:
                        inputs:
                          inherited: { type: string, default: from the derived type }
                topology_template:
                  inputs:
                    marker: { type: string, default: m-1 }
                  node_templates:
                    app:
                      type: my.Derived
                      interfaces:
                        Standard:
                          inputs:
                            level: 2
                            extra: from the template
                          operations:
                            delete:
                              inputs:
                                extra: from the template's delete
                """);
        Interface standard = load(dir, "t.yaml").node("app").interfaces().get("Standard");
        assertThat(plain(standard.operations().get("create"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "marker", "m-1", "where", "/srv", "level", 2L, "inherited", "from the derived type",
                "extra", "from the template"));
        // an input of the operation itself wins over the interface's, even over the template's interface input
        assertThat(plain(standard.operations().get("configure"))).containsEntry("level", 5L)
                .containsEntry("marker", "m-1").containsEntry("extra", "from the template");
        assertThat(plain(standard.operations().get("delete"))).containsEntry("extra", "from the template's delete")
                .containsEntry("level", 2L);
    }

    @Test
    void relationshipInterfaceInputsReachEveryOperationAndResolveAgainstItsEnds() {
        write(dir, "t.yaml", VERSION + """
                relationship_types:
                  my.Link:
                    derived_from: tosca.relationships.DependsOn
                    properties:
                      label: { type: string, default: the link }
                    interfaces:
                      Configure:
                        inputs:
                          label: { type: string, default: { get_property: [ SELF, label ] } }
                          source: { type: string, default: { get_property: [ SOURCE, name ] } }
                          target: { type: string, default: { get_property: [ TARGET, name ] } }
                        operations:
                          pre_configure_source: pre.yml
                          post_configure_target:
                            implementation: post.yml
                            inputs:
                              label: { type: string, default: the operation's own }
                node_types:
                  my.Named:
                    derived_from: tosca.nodes.Root
                    properties:
                      name: { type: string }
                    requirements:
                      - peer: { capability: tosca.capabilities.Node, relationship: my.Link, occurrences: [ 0, 1 ] }
                topology_template:
                  node_templates:
                    a:
                      type: my.Named
                      properties: { name: A }
                      requirements: [ peer: b ]
                    b:
                      type: my.Named
                      properties: { name: B }
                """);
        Interface configure = load(dir, "t.yaml").node("a").requirements().get(0).interfaces().get("Configure");
        assertThat(plain(configure.operations().get("pre_configure_source"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("label", "the link", "source", "A", "target", "B"));
        assertThat(plain(configure.operations().get("post_configure_target"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("label", "the operation's own", "source", "A", "target", "B"));
    }
    @Test
    void aDefinitionMayLeaveOutItsTypeWhileOtherMapsAreValues() {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Node:
                    derived_from: tosca.nodes.Root
                    interfaces:
                      Standard:
                        operations:
                          create:
                            implementation: create.yml
                            inputs:
                              untyped: { default: from the default }
                              fixed: { value: from the value, description: a fixed input }
                              settings: { retries: 3 }
                topology_template:
                  node_templates:
                    n:
                      type: my.Node
                """);
        Operation create = load(dir, "t.yaml").node("n").interfaces().get("Standard").operations().get("create");
        assertThat(plain(create)).containsExactlyInAnyOrderEntriesOf(Map.of("untyped", "from the default",
                "fixed", "from the value", "settings", Map.of("retries", 3L)));
    }
}
