package io.imagebuilder.tosca;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YamlReader;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads through a cache of read templates must give what loads without one give: each caller's inputs, each
 * caller's problems at their places, and a template's new text once its file changes.
 */
class TemplateCacheTest {

    private static final String TEMPLATE = VERSION + """
            imports:
              - types.yaml
            topology_template:
              inputs:
                port: { type: integer, constraints: [ { less_than: 1000 } ] }
                name: { type: string }
              node_templates:
                server:
                  type: my.Server
                  properties:
                    port: { get_input: port }
                    name: { get_input: name }
              outputs:
                address: { value: { concat: [ { get_property: [ server, name ] }, ":", { get_input: port } ] } }
            """;
    private static final String TYPES = VERSION + """
            node_types:
              my.Server:
                derived_from: tosca.nodes.Root
                properties:
                  port: { type: integer }
                  name: { type: string }
            """;

    @TempDir
    Path dir;

    private final TemplateCache cache = new TemplateCache();

    @Test
    void eachLoadGetsItsOwnInputs() {
        Path template = templateWithImport();
        write(dir, "a.yaml", "port: 80\nname: alpha\n");
        write(dir, "b.yaml", "port: 443\nname: beta\n");
        Topology a = cached().load(template, List.of(dir.resolve("a.yaml")));
        Topology b = cached().load(template, List.of(dir.resolve("b.yaml")));
        Topology againA = cached().load(template, List.of(dir.resolve("a.yaml")));
        assertThat(a.outputs().get("address").value().toPlain()).isEqualTo("alpha:80");
        assertThat(b.outputs().get("address").value().toPlain()).isEqualTo("beta:443");
        assertThat(againA.outputs().get("address").value().toPlain()).isEqualTo("alpha:80");
        assertThat(b.nodes().get("server").properties().get("port").toPlain()).isEqualTo(443L);
        assertThat(a.nodes().get("server").type()).as("the types are read once and shared")
                .isSameAs(b.nodes().get("server").type());
    }

    @Test
    void anInvalidInputAfterValidOnesGetsTheProblemAtItsPlaceAsWithoutACache() {
        Path template = templateWithImport();
        write(dir, "good.yaml", "port: 80\nname: alpha\n");
        write(dir, "bad.yaml", "name: beta\nport: 5000\n");
        cached().load(template, List.of(dir.resolve("good.yaml")));
        InvalidInputException withCache = invalid(cached(), template, "bad.yaml");
        InvalidInputException without = invalid(new ToscaLoader(dir), template, "bad.yaml");
        assertThat(messages(withCache)).isEqualTo(messages(without));
        assertThat(withCache.phase()).isEqualTo(without.phase());
        assertThat(messages(withCache)).hasSize(1);
        assertThat(messages(withCache).get(0)).startsWith("bad.yaml:2:7: ");
        assertThat(cached().load(template, List.of(dir.resolve("good.yaml"))).outputs().get("address").value()
                .toPlain()).as("a valid one after the invalid one").isEqualTo("alpha:80");
    }

    @Test
    void aTemplateWithProblemsIsReportedWithTheInputsProblemsAsWithoutACache() {
        Path template = write(dir, "t.yaml", TEMPLATE + "colour: red\n");
        write(dir, "types.yaml", TYPES);
        write(dir, "list.yaml", "- not a map\n");
        for (int i = 0; i < 2; i++) {
            InvalidInputException withCache = invalid(cached(), template, "list.yaml");
            assertThat(messages(withCache)).isEqualTo(messages(invalid(new ToscaLoader(dir), template, "list.yaml")));
            assertThat(messages(withCache)).hasSize(2);
        }
    }

    @Test
    void anEditedTemplateOrImportIsReadAgain() {
        Path template = templateWithImport();
        write(dir, "in.yaml", "port: 80\nname: alpha\n");
        assertThat(cached().load(template, List.of(dir.resolve("in.yaml"))).nodes()).containsOnlyKeys("server");
        // a different length tells the change even where modification times are coarse
        write(dir, "t.yaml", TEMPLATE.replace("  node_templates:\n", "  node_templates:\n    other: { type: "
                + "tosca.nodes.Root }\n"));
        assertThat(cached().load(template, List.of(dir.resolve("in.yaml"))).nodes())
                .containsOnlyKeys("server", "other");
        write(dir, "types.yaml", TYPES.replace("name: { type: string }", "name: { type: integer }"));
        List<String> problems = messages(invalid(cached(), template, "in.yaml"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("in.yaml:2:7: ");
    }

    @Test
    void theTemplatesUsedLeastRecentlyGoOnceThereAreTooMany() {
        Path first = templateWithImport();
        List<Path> inputs = List.of(write(dir, "in.yaml", "port: 80\nname: alpha\n"));
        cached().load(first, inputs);
        for (int i = 0; i < TemplateCache.MAX_TEMPLATES; i++) {
            cached().load(write(dir, "t" + i + ".yaml", TEMPLATE), inputs);
            if (i < TemplateCache.MAX_TEMPLATES / 2) cached().load(first, inputs); // used again: kept
        }
        assertThat(cache.size()).isEqualTo(TemplateCache.MAX_TEMPLATES);
        assertThat(cache.holds(first)).as("used recently").isTrue();
        assertThat(cache.holds(dir.resolve("t0.yaml"))).as("used least recently").isFalse();
    }

    @Test
    void aTemplateIsRenderedOnlyByLoadersWithTheSettingsThatPreparedIt() {
        PreparedTemplate prepared = new ToscaLoader(dir).prepare(templateWithImport());
        assertThatThrownBy(() -> new ToscaLoader(dir.resolve("elsewhere")).load(prepared, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToscaLoader(dir, YamlReader.DEFAULT_MAX_BYTES - 1).load(prepared, List.of(),
                null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callersThatArriveWhileTheTemplateIsBeingReadShareThatReading() throws Exception {
        Path template = templateWithImport();
        int callers = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(callers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        PreparedTemplate first;
        try {
            List<java.util.concurrent.Future<PreparedTemplate>> got = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                got.add(pool.submit(() -> {
                    together.await();
                    return cache.prepared(template, cached(), dir, YamlReader.DEFAULT_MAX_BYTES);
                }));
            }
            first = got.get(0).get();
            for (var f : got) assertThat(f.get()).isSameAs(first);
        } finally {
            pool.shutdownNow();
        }
        assertThat(first).isNotNull();
        cached().prepareAhead(template); // kept: nothing is read again
        assertThat(cache.prepared(template, cached(), dir, YamlReader.DEFAULT_MAX_BYTES)).isSameAs(first);
    }

    private ToscaLoader cached() {
        return new ToscaLoader(dir, YamlReader.DEFAULT_MAX_BYTES, cache);
    }

    private Path templateWithImport() {
        write(dir, "types.yaml", TYPES);
        return write(dir, "t.yaml", TEMPLATE);
    }

    private InvalidInputException invalid(ToscaLoader loader, Path template, String inputs) {
        InvalidInputException[] caught = new InvalidInputException[1];
        assertThatThrownBy(() -> loader.load(template, List.of(dir.resolve(inputs))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> caught[0] = e);
        return caught[0];
    }
}
