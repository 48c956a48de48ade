package io.imagebuilder.plan;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

    @TempDir
    Path dir;

    private static final String TYPES = VERSION + """
            node_types:
              my.Step:
                derived_from: tosca.nodes.Root
                interfaces:
                  Standard:
                    create: create.sh
                    configure: configure.sh
                    start: start.sh
            relationship_types:
              my.Link:
                derived_from: tosca.relationships.DependsOn
                interfaces:
                  Configure:
                    pre_configure_source: pre-source.sh
                    pre_configure_target: pre-target.sh
                    post_configure_source: post-source.sh
                    post_configure_target: post-target.sh
                    add_target: add-target.sh
                    add_source: add-source.sh
                    remove_target: remove-target.sh
            """;

    private Plan plan(String nodeTemplates) {
        write(dir, "types.yaml", TYPES);
        write(dir, "t.yaml", VERSION + "imports: [ types.yaml ]\ntopology_template:\n  node_templates:\n"
                + nodeTemplates);
        return new Planner().deployPlan(load(dir, "t.yaml"));
    }

    private static List<String> order(Plan plan) {
        return plan.nodes().stream().map(PlannedNode::name).toList();
    }

    private static List<List<String>> waves(Plan plan) {
        return plan.waves().stream().map(w -> w.stream().map(PlannedNode::name).toList()).toList();
    }

    private static final String DIAMOND = """
                top:
                  type: tosca.nodes.Root
                  requirements: [ dependency: left, dependency: right ]
                left:
                  type: tosca.nodes.Root
                  requirements: [ dependency: bottom ]
                right:
                  type: tosca.nodes.Root
                  requirements: [ dependency: bottom ]
                bottom:
                  type: tosca.nodes.Root
                alone:
                  type: tosca.nodes.Root
            """;

    @Test
    void nodesFollowWhatTheyDependOnInWaves() {
        Plan plan = plan(DIAMOND);
        assertThat(order(plan)).containsExactly("bottom", "alone", "left", "right", "top");
        assertThat(waves(plan)).containsExactly(List.of("bottom", "alone"), List.of("left", "right"), List.of("top"));
        assertThat(plan.waveCount()).isEqualTo(3);
        PlannedNode top = plan.nodes().get(4);
        assertThat(top.wave()).isEqualTo(3);
        assertThat(top.after()).containsExactly("left", "right");
        assertThat(top.type()).isEqualTo("tosca.nodes.Root");
        assertThat(top.steps()).isEmpty();
        assertThat(plan.template()).isEqualTo("t.yaml");
    }

    @Test
    void aNodeWaitsForItsSlowestDependency() {
        Plan plan = plan("""
                    app:
                      type: tosca.nodes.Root
                      requirements: [ dependency: base, dependency: middle ]
                    middle:
                      type: tosca.nodes.Root
                      requirements: [ dependency: base ]
                    base:
                      type: tosca.nodes.Root
                """);
        assertThat(waves(plan)).containsExactly(List.of("base"), List.of("middle"), List.of("app"));
    }

    @Test
    void theSameTemplateGivesTheSamePlan() {
        Plan first = plan(DIAMOND);
        Plan second = plan(DIAMOND);
        assertThat(second).isEqualTo(first);
        assertThat(PlanPrinter.text(second)).isEqualTo(PlanPrinter.text(first));
        assertThat(PlanPrinter.json(second)).isEqualTo(PlanPrinter.json(first));
    }

    @Test
    void tiesAreBrokenByTemplateOrder() {
        // y's dependency is planned first, so y is ready before x; x still comes first, as in the template
        Plan plan = plan("""
                    x:
                      type: tosca.nodes.Root
                      requirements: [ dependency: base2 ]
                    y:
                      type: tosca.nodes.Root
                      requirements: [ dependency: base1 ]
                    base1:
                      type: tosca.nodes.Root
                    base2:
                      type: tosca.nodes.Root
                """);
        assertThat(waves(plan)).containsExactly(List.of("base1", "base2"), List.of("x", "y"));

        Plan reordered = plan("""
                    base2:
                      type: tosca.nodes.Root
                    y:
                      type: tosca.nodes.Root
                      requirements: [ dependency: base1 ]
                    base1:
                      type: tosca.nodes.Root
                    x:
                      type: tosca.nodes.Root
                      requirements: [ dependency: base2 ]
                """);
        assertThat(waves(reordered)).containsExactly(List.of("base2", "base1"), List.of("y", "x"));
    }

    @Test
    void relationshipOperationsRunAroundTheSourcesConfigure() {
        Plan plan = plan("""
                    app:
                      type: my.Step
                      requirements:
                        - dependency: { node: db, relationship: my.Link }
                    db:
                      type: my.Step
                """);
        assertThat(order(plan)).containsExactly("db", "app");
        PlannedNode app = plan.nodes().get(1);
        assertThat(app.steps()).extracting(PlannedStep::qualifiedOperation).containsExactly(
                "Standard.create",
                "Configure.pre_configure_source", "Configure.pre_configure_target",
                "Standard.configure",
                "Configure.post_configure_source", "Configure.post_configure_target",
                "Standard.start",
                "Configure.add_target", "Configure.add_source");
        assertThat(app.steps()).extracting(PlannedStep::implementation).containsExactly("create.sh",
                "pre-source.sh", "pre-target.sh", "configure.sh", "post-source.sh", "post-target.sh", "start.sh",
                "add-target.sh", "add-source.sh");
        PlannedStep pre = app.steps().get(1);
        assertThat(pre.node()).isEqualTo("app");
        assertThat(pre.relationship()).isEqualTo("dependency");
        assertThat(pre.target()).isEqualTo("db");
        PlannedStep create = app.steps().get(0);
        assertThat(create.relationship()).isNull();
        assertThat(create.target()).isNull();
        // the target's own steps are not changed by the relationship
        assertThat(plan.nodes().get(0).steps()).extracting(PlannedStep::qualifiedOperation)
                .containsExactly("Standard.create", "Standard.configure", "Standard.start");
    }

    @Test
    void operationsWithoutImplementationAreNotPlanned() {
        Plan plan = plan("""
                    app:
                      type: my.Step
                      interfaces:
                        Standard:
                          configure:
                            implementation: { primary: mine.sh, timeout: 90 }
                            inputs: { level: 3 }
                    plain:
                      type: tosca.nodes.Root
                """);
        PlannedNode app = plan.nodes().get(0);
        assertThat(app.steps()).extracting(PlannedStep::implementation)
                .containsExactly("create.sh", "mine.sh", "start.sh");
        assertThat(app.steps().get(1).timeoutSeconds()).isEqualTo(90L);
        assertThat(app.steps().get(1).inputs()).isEqualTo(Map.of("level", 3L));
        assertThat(plan.nodes().get(1).steps()).isEmpty();
    }

    @Test
    void textAndJsonShowTheSamePlan() throws Exception {
        Plan plan = plan("""
                    app:
                      type: my.Step
                      requirements: [ dependency: base ]
                      interfaces:
                        Standard:
                          start:
                            implementation: start.sh
                            inputs:
                              name: app
                              when: { get_attribute: [ SELF, state ] }
                    base:
                      type: tosca.nodes.Root
                """);
        assertThat(PlanPrinter.text(plan)).isEqualTo("""
                Plan for t.yaml: 2 nodes in 2 waves
                Nodes in the same wave do not depend on each other and may run concurrently.

                wave 1
                  base (tosca.nodes.Root)
                    nothing to run

                wave 2
                  app (my.Step), after base
                    1. Standard.create  create.sh
                    2. Standard.configure  configure.sh
                    3. Standard.start  start.sh
                         name: app
                         when: {"get_attribute":["app","state"]}
                """);
        JsonNode json = new ObjectMapper().readTree(PlanPrinter.json(plan));
        assertThat(json.get("template").asText()).isEqualTo("t.yaml");
        assertThat(json.get("waves").asInt()).isEqualTo(2);
        assertThat(json.get("nodes")).extracting(n -> n.get("name").asText()).containsExactly("base", "app");
        JsonNode start = json.get("nodes").get(1).get("steps").get(2);
        assertThat(start.get("operation").asText()).isEqualTo("start");
        assertThat(start.get("inputs").get("when").get("get_attribute").get(0).asText()).isEqualTo("app");
    }

    @Test
    void triggersAreListedWithTheOperationsTheyCallOnEachTargetAndNoneIsPlannedToRunOnDeploy() throws Exception {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  my.Scaled:
                    derived_from: tosca.nodes.Root
                    attributes:
                      load: { type: integer, default: 0 }
                    interfaces:
                      scaling:
                        type: my.Scaling
                interface_types:
                  my.Scaling:
                    derived_from: tosca.interfaces.Root
                    operations:
                      grow:
                        implementation: grow.sh
                        inputs:
                          by: { type: integer, default: 1 }
                policy_types:
                  my.Grow:
                    derived_from: tosca.policies.Scaling
                    properties:
                      step: { type: integer }
                topology_template:
                  node_templates:
                    a: { type: my.Scaled }
                    b: { type: my.Scaled }
                  policies:
                    - grow:
                        type: my.Grow
                        properties: { step: 4 }
                        targets: [ b, a ]
                        triggers:
                          busy:
                            event: load_high
                            condition:
                              - load: [ { greater_than: 90 } ]
                            action:
                              - call_operation:
                                  operation: scaling.grow
                                  inputs: { by: { get_property: [ SELF, step ] } }
                """);
        Plan plan = new Planner().deployPlan(load(dir, "t.yaml"));
        assertThat(plan.nodes()).allSatisfy(n -> assertThat(n.steps()).isEmpty());
        assertThat(PlanPrinter.text(plan)).endsWith("""
                triggers (run by notify --trigger NAME or EVENT; events are not watched)
                  busy (policy grow, event load_high) on a, b
                    condition: load greater_than 90
                    - a scaling.grow  grow.sh
                         by: 4
                    - b scaling.grow  grow.sh
                         by: 4
                """);
        JsonNode trigger = new ObjectMapper().readTree(PlanPrinter.json(plan)).get("triggers").get(0);
        assertThat(trigger.get("name").asText()).isEqualTo("busy");
        assertThat(trigger.get("event").asText()).isEqualTo("load_high");
        assertThat(trigger.get("targets")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(trigger.get("calls").get(1).get("node").asText()).isEqualTo("b");
        assertThat(trigger.get("calls").get(1).get("inputs").get("by").asInt()).isEqualTo(4);
    }
}
