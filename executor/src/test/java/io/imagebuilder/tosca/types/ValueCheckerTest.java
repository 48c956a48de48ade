package io.imagebuilder.tosca.types;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.load.ReadPhase;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.PrimitiveType;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueCheckerTest {

    private static final String TYPES = VERSION + """
            data_types:
              my.Inner:
                derived_from: tosca.datatypes.Root
                properties:
                  c: { type: integer, constraints: [ { greater_than: 0 } ] }
                  d: { type: string, default: filled }
                  e: { type: string, required: false }
              my.Outer:
                derived_from: tosca.datatypes.Root
                properties:
                  b: { type: list, entry_schema: { type: my.Inner } }
                  tags:
                    type: map
                    required: false
                    key_schema: { type: string, constraints: [ { pattern: "[a-z]+" } ] }
                    entry_schema: { type: string, constraints: [ { max_length: 3 } ] }
              my.Secret:
                derived_from: string
                metadata: { secret: "true" }
              my.Login:
                derived_from: tosca.datatypes.Root
                properties:
                  user: { type: string }
                  password: { type: string, constraints: [ { min_length: 8 } ] }
                  pin: { type: my.Secret, required: false }
            """;

    @TempDir
    Path dir;

    private final Problems problems = new Problems();
    private final List<YNode> secrets = new ArrayList<>();
    private ValueChecker checker;
    private Scope scope;

    @BeforeEach
    void types() {
        write(dir, "types.yaml", TYPES);
        Problems setup = new Problems();
        TypeSystem names = new NamesPhase(setup).run(new ReadPhase(setup, dir).run(dir.resolve("types.yaml")));
        new TypesPhase(setup).run(names);
        assertThat(setup.sorted()).isEmpty();
        scope = names.scope("types.yaml");
        checker = new ValueChecker(problems, secrets::add);
    }

    private ValueType data(String name) {
        return new ValueType.Data(scope.lookup(TypeKind.DATA, name));
    }

    private static YNode yaml(String text) {
        return YamlReader.parse(text, "v.yaml", new Problems()).orElseThrow();
    }

    private List<String> found() {
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    @Test
    void messagesNameThePathOfTheValue() {
        checker.check(yaml("""
                b:
                  - { c: 1 }
                  - { c: x }
                  - { c: -5 }
                """), data("my.Outer"), List.of(), "a");
        assertThat(found()).containsExactly(
                "v.yaml:3:10: a.b[1].c: expected an integer, got the string \"x\"",
                "v.yaml:4:10: a.b[2].c: value -5 must be greater than 0");
    }

    @Test
    void missingAndUnknownFieldsAreReportedWithTheirPath() {
        checker.check(yaml("""
                b:
                  - { d: x }
                  - { c: 1, unrelated: 2 }
                  - { c: 1, dd: 2 }
                bb: []
                """), data("my.Outer"), List.of(), "a");
        assertThat(found()).containsExactly(
                "v.yaml:2:5: a.b[0]: missing required field \"c\" of my.Inner",
                "v.yaml:3:13: a.b[1]: unknown field \"unrelated\" in my.Inner; expected one of c, d, e",
                "v.yaml:4:13: a.b[2]: unknown field \"dd\" in my.Inner; did you mean \"d\"?",
                "v.yaml:5:1: a: unknown field \"bb\" in my.Outer; did you mean \"b\"?");
    }

    @Test
    void shapesAreChecked() {
        checker.check(yaml("b: { c: 1 }\n"), data("my.Outer"), List.of(), "a");
        checker.check(yaml("[1, 2]\n"), data("my.Inner"), List.of(), "inner");
        checker.check(yaml("{ x: 1 }\n"), new ValueType.Primitive(PrimitiveType.STRING), List.of(), "s");
        checker.check(yaml("x\n"), new ValueType.MapOf(new ValueType.Any(), List.of(), List.of()), List.of(), "m");
        assertThat(found()).containsExactly(
                "v.yaml:1:1: inner: expected a map of my.Inner, got a list",
                "v.yaml:1:1: m: expected a map, got the string \"x\"",
                "v.yaml:1:1: s: expected a string, got a map",
                "v.yaml:1:4: a.b: expected a list, got a map");
    }

    @Test
    void mapKeysAndEntriesAreChecked() {
        checker.check(yaml("b: []\ntags: { ok: abc, Bad: x, long: abcd }\n"), data("my.Outer"), List.of(), "a");
        assertThat(found()).containsExactly(
                "v.yaml:2:18: a.tags.Bad: key \"Bad\" must match the pattern '[a-z]+'",
                "v.yaml:2:32: a.tags.long: value \"abcd\" must have a length of at most 3 (has 4)");
    }

    @Test
    void overlongValuesAreRefusedBeforeAnyPatternReadsThem() throws Exception {
        String words = "word ".repeat(20_000);
        checker.check(yaml("b: []\ntags: { ok: \"" + words + "\" }\n"), data("my.Outer"), List.of(), "a");
        checker.check(yaml("\"" + words + "\"\n"), new ValueType.Primitive(PrimitiveType.STRING),
                List.of(io.imagebuilder.tosca.value.Constraint.parse("pattern", "[a-z ]+", raw -> raw)), "s");
        assertThat(found()).containsExactly(
                "v.yaml:1:1: s: value is 100000 characters long; at most 65536 are allowed",
                "v.yaml:2:13: a.tags.ok: value is 100000 characters long; at most 65536 are allowed");
    }

    @Test
    void valuesInMessagesAreCutShortAndTheirControlCharactersEscaped() throws Exception {
        checker.check(yaml("b: []\ntags: { ok: \"ab\\ncd\\u001b[0m\", Bad: x }\n"), data("my.Outer"), List.of(),
                "a");
        checker.check(yaml("\"" + "x".repeat(5000) + "\"\n"), new ValueType.Primitive(PrimitiveType.STRING),
                List.of(io.imagebuilder.tosca.value.Constraint.parse("pattern", "[a-w]+", raw -> raw)), "s");
        assertThat(found()).containsExactly(
                "v.yaml:1:1: s: value \"" + "x".repeat(80) + "\"…(5000 characters) must match the pattern '[a-w]+'",
                "v.yaml:2:13: a.tags.ok: value \"ab\\ncd\\u001b[0m\" must have a length of at most 3 (has 9)",
                "v.yaml:2:32: a.tags.Bad: key \"Bad\" must match the pattern '[a-z]+'");
    }

    @Test
    void defaultsAreFilledAndExplicitNullsLeaveOptionalFieldsUnset() {
        YNode checked = checker.check(yaml("b: [ { c: 1 }, { c: 2, d: own, e: null } ]\n"), data("my.Outer"),
                List.of(), "a");
        assertThat(found()).isEmpty();
        Map<String, Object> second = new java.util.LinkedHashMap<>();
        second.put("c", 2L);
        second.put("d", "own");
        second.put("e", null);
        assertThat(checked.toPlain()).isEqualTo(Map.of("b", List.of(Map.of("c", 1L, "d", "filled"), second)));
        YMap first = (YMap) ((io.imagebuilder.yaml.YSeq) ((YMap) checked).get("b")).get(0);
        // a filled-in default points at where the default is written
        assertThat(first.keyLocation("d").file()).isEqualTo("types.yaml");
    }

    @Test
    void functionCallsAreLeftForLater() {
        YNode call = yaml("{ get_input: port }\n");
        assertThat(checker.check(call, new ValueType.Primitive(PrimitiveType.INTEGER), List.of(), "p")).isSameAs(call);
        checker.check(yaml("b: [ { c: { get_property: [ SELF, n ] } } ]\n"), data("my.Outer"), List.of(), "a");
        assertThat(found()).isEmpty();
    }

    @Test
    void secretFieldsAreNotShownInMessages() {
        checker.check(yaml("{ user: admin, password: hunter2, pin: 1234 }\n"), data("my.Login"), List.of(), "login");
        assertThat(found()).containsExactly(
                "v.yaml:1:26: login.password: value (secret) must have a length of at least 8 (has 7)",
                "v.yaml:1:40: login.pin: the secret value is not a string");
        assertThat(String.join("\n", found())).doesNotContain("hunter2").doesNotContain("1234");
        // the checker tells which values are secrets, so they can be masked later
        assertThat(secrets).extracting(YNode::toPlain).containsExactly("hunter2", 1234L);
    }

    @Test
    void checkSecretHidesTheValueWhateverIsWrong() throws Exception {
        checker.checkSecret(yaml("hunter2\n"), data("my.Login"), List.of(), "login");
        checker.checkSecret(yaml("hunter2\n"), new ValueType.ListOf(new ValueType.Any(), List.of()), List.of(), "list");
        checker.checkSecret(yaml("hunter2\n"), new ValueType.Primitive(PrimitiveType.INTEGER), List.of(), "number");
        checker.checkSecret(yaml("hunter2\n"), data("my.Secret"),
                List.of(io.imagebuilder.tosca.value.Constraint.parse("valid_values", List.of("a", "b"), raw -> raw)),
                "choice");
        assertThat(found()).containsExactly(
                "v.yaml:1:1: choice: value (secret) must be one of [a, b]",
                "v.yaml:1:1: list: expected a list, got a secret string",
                "v.yaml:1:1: login: expected a map of my.Login, got a secret string",
                "v.yaml:1:1: number: the secret value is not an integer");
    }

    @Test
    void canonicalValuesFollowTheBaseType() throws Exception {
        ValueType size = new ValueType.Primitive(PrimitiveType.SIZE);
        assertThat(ValueChecker.canonical(yaml("1 kB\n"), size)).isEqualTo(PrimitiveType.SIZE.coerce("1 kB"));
        assertThat(ValueChecker.canonical(yaml("x\n"), new ValueType.Primitive(PrimitiveType.INTEGER))).isNull();
        assertThat(ValueChecker.canonical(yaml("[1]\n"), new ValueType.Any())).isEqualTo(List.of(1L));
    }
}
