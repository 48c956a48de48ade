package io.imagebuilder.tosca.topology;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyPhaseTest {

    @TempDir
    Path dir;

    @Test
    void dependencyCyclesAreReportedWithTheirPath() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  node_templates:
                    a:
                      type: tosca.nodes.Root
                      requirements: [ dependency: b ]
                    b:
                      type: tosca.nodes.Root
                      requirements: [ dependency: c ]
                    c:
                      type: tosca.nodes.Root
                      requirements: [ dependency: a ]
                    outside:
                      type: tosca.nodes.Root
                      requirements: [ dependency: a ]
                """);
        InvalidInputException e = invalid(dir, "t.yaml");
        assertThat(e.phase()).isEqualTo("building the topology");
        assertThat(messages(e)).containsExactly(
                "t.yaml:6:35: dependency cycle: a -[dependency]-> b -[dependency]-> c -[dependency]-> a");
    }

    @Test
    void everySeparateCycleIsReported() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  node_templates:
                    a:
                      type: tosca.nodes.Root
                      requirements: [ dependency: b ]
                    b:
                      type: tosca.nodes.Root
                      requirements: [ dependency: a ]
                    x:
                      type: tosca.nodes.Root
                      requirements: [ dependency: y ]
                    y:
                      type: tosca.nodes.Root
                      requirements: [ dependency: x ]
                """);
        assertThat(messages(invalid(dir, "t.yaml"))).containsExactly(
                "t.yaml:6:35: dependency cycle: a -[dependency]-> b -[dependency]-> a",
                "t.yaml:12:35: dependency cycle: x -[dependency]-> y -[dependency]-> x");
    }

    @Test
    void sharedDependenciesAreNoCycle() {
        write(dir, "t.yaml", VERSION + """
                topology_template:
                  node_templates:
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
                """);
        Topology t = load(dir, "t.yaml");
        assertThat(t.node("top").requirements()).extracting(Relationship::target).containsExactly("left", "right");
    }

    @Test
    void longChainsAreChecked() {
        StringBuilder nodes = new StringBuilder();
        int n = 2000;
        for (int i = 0; i < n; i++) {
            nodes.append("    n").append(i).append(":\n      type: tosca.nodes.Root\n");
            if (i + 1 < n) nodes.append("      requirements: [ dependency: n").append(i + 1).append(" ]\n");
        }
        write(dir, "t.yaml", VERSION + "topology_template:\n  node_templates:\n" + nodes);
        assertThat(load(dir, "t.yaml").nodes()).hasSize(n);
    }
}
