package io.imagebuilder.tosca.topology;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.plan.Plan;
import io.imagebuilder.plan.PlanPrinter;
import io.imagebuilder.plan.PlannedStep;
import io.imagebuilder.plan.Planner;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    private static YNode yaml(String text) {
        return YamlReader.parse(text, "v.yaml", new Problems()).orElseThrow();
    }

    @Test
    void markedValuesAreMaskedWhereverTheyAre() {
        Secrets secrets = new Secrets();
        YMap value = (YMap) yaml("user: admin\nkey: abc123\nnested: [ one, two ]\n");
        secrets.mark(value.get("key"));
        secrets.mark(((io.imagebuilder.yaml.YSeq) value.get("nested")).get(1));
        assertThat(secrets.isSecret(value.get("key"))).isTrue();
        assertThat(secrets.isSecret(value.get("user"))).isFalse();
        assertThat(secrets.masked(value)).isEqualTo(Map.of("user", "admin", "key", Secrets.MASK,
                "nested", List.of("one", Secrets.MASK)));
        secrets.mark(value);
        assertThat(secrets.masked(value)).isEqualTo("****");
        assertThat(secrets.masked((YNode) null)).isNull();
    }

    @Test
    void secretsAreTrackedByIdentityNotByText() {
        Secrets secrets = new Secrets();
        YMap value = (YMap) yaml("a: same\nb: same\n");
        secrets.mark(value.get("a"));
        assertThat(secrets.masked(value)).isEqualTo(Map.of("a", "****", "b", "same"));
    }

    @Test
    void membersWithSecretNamesAreMasked() {
        Secrets secrets = new Secrets();
        YNode value = yaml("""
                username: builder
                password: hunter2
                api_key: k
                token: ""
                secret: null
                registry_token: { get_input: token }
                """);
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("username", "builder");
        expected.put("password", "****");
        expected.put("api_key", "****");
        expected.put("token", "");  // an empty value hides nothing
        expected.put("secret", null);
        expected.put("registry_token", Map.of("get_input", "token")); // a reference shows no value
        assertThat(secrets.masked(value)).isEqualTo(expected);
        assertThat(secrets.masked("password", yaml("hunter2\n"))).isEqualTo("****");
        assertThat(secrets.masked("password", yaml("''\n"))).isEqualTo("");
        assertThat(secrets.masked("user", yaml("admin\n"))).isEqualTo("admin");
    }

    private static final String TEMPLATE = VERSION + """
            data_types:
              my.Secret:
                derived_from: string
                metadata: { secret: "true" }
            node_types:
              my.Client:
                derived_from: tosca.nodes.Root
                properties:
                  login: { type: my.Secret }
                  endpoint: { type: string }
                interfaces:
                  Standard:
                    create:
                      implementation: create.sh
                      inputs:
                        url: { concat: [ "https://user:", { get_property: [ SELF, login ] }, "@", { get_property: [ SELF, endpoint ] } ] }
                        parts: { join: [ [ a, { get_input: pin } ], ":" ] }
                        first: { token: [ { get_input: pin }, "-", 0 ] }
                        endpoint: { get_property: [ SELF, endpoint ] }
                        db_password: visible-by-name
            topology_template:
              inputs:
                login: { type: my.Secret }
                pin: { type: my.Secret }
              node_templates:
                client:
                  type: my.Client
                  properties:
                    login: { get_input: login }
                    endpoint: registry.example
              outputs:
                url: { value: { concat: [ { get_input: login }, "@", { get_property: [ client, endpoint ] } ] } }
            """;

    @Test
    void valuesComputedFromSecretsAreMaskedInThePlan() {
        write(dir, "t.yaml", TEMPLATE);
        write(dir, "in.yaml", "login: hunter2\npin: 12-34\n");
        Topology topology = load(dir, "t.yaml", "in.yaml");
        Plan plan = new Planner().deployPlan(topology);
        PlannedStep create = plan.nodes().get(0).steps().get(0);
        assertThat(create.inputs()).containsEntry("url", "****")
                .containsEntry("parts", "****")
                .containsEntry("first", "****")
                .containsEntry("endpoint", "registry.example")
                .containsEntry("db_password", "****");
        String text = PlanPrinter.text(plan) + PlanPrinter.json(plan);
        assertThat(text).doesNotContain("hunter2").doesNotContain("12-34").doesNotContain("visible-by-name")
                .contains("registry.example");
        // the resolved values themselves are kept for the operations that need them
        Operation op = topology.node("client").interfaces().get("Standard").operations().get("create");
        assertThat(op.inputs().get("url").toPlain()).isEqualTo("https://user:hunter2@registry.example");
        assertThat(topology.secrets().isSecret(topology.outputs().get("url").value())).isTrue();
    }
}
