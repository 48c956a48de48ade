package io.imagebuilder.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlReaderTest {

    private final Problems problems = new Problems();

    private YNode parse(String text) {
        Optional<YNode> root = YamlReader.parse(text, "t.yaml", problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(root).isPresent();
        return root.get();
    }

    private List<String> problemsOf(String text) {
        YamlReader.parse(text, "t.yaml", problems);
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    private Object scalar(String yamlValue) {
        YMap root = (YMap) parse("v: " + yamlValue + "\n");
        return ((YScalar) root.get("v")).value();
    }

    @Test
    void locationsAreOneBased() {
        YMap root = (YMap) parse("""
                first: 1
                second:
                  inner: [x, y]
                """);
        assertThat(root.location()).isEqualTo(Location.of("t.yaml", 1, 1));
        assertThat(root.keyLocation("first")).isEqualTo(Location.of("t.yaml", 1, 1));
        assertThat(root.get("first").location()).isEqualTo(Location.of("t.yaml", 1, 8));
        assertThat(root.keyLocation("second")).isEqualTo(Location.of("t.yaml", 2, 1));
        YMap second = (YMap) root.get("second");
        assertThat(second.location()).isEqualTo(Location.of("t.yaml", 3, 3));
        assertThat(second.keyLocation("inner")).isEqualTo(Location.of("t.yaml", 3, 3));
        YSeq inner = (YSeq) second.get("inner");
        assertThat(inner.location()).isEqualTo(Location.of("t.yaml", 3, 10));
        assertThat(inner.get(1).location()).isEqualTo(Location.of("t.yaml", 3, 14));
        assertThat(inner.get(1).location()).hasToString("t.yaml:3:14");
    }

    @Test
    void keysKeepTheirOrder() {
        YMap root = (YMap) parse("zeta: 1\nalpha: 2\nmid: 3\n");
        assertThat(root.keys()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void duplicateKeysAreReportedWithBothPositions() {
        assertThat(problemsOf("""
                name: a
                other: b
                name: c
                """)).containsExactly("t.yaml:3:1: duplicate key \"name\" (first defined at line 1)");
    }

    @Test
    void duplicateKeysKeepTheFirstValueAndAreAllReported() {
        Optional<YNode> root = YamlReader.parse("""
                outer:
                  k: 1
                  k: 2
                top: x
                top: y
                """, "t.yaml", problems);
        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly(
                "t.yaml:3:3: duplicate key \"k\" (first defined at line 2)",
                "t.yaml:5:1: duplicate key \"top\" (first defined at line 4)");
        assertThat(root.orElseThrow().toPlain()).isEqualTo(Map.of("outer", Map.of("k", 1L), "top", "x"));
    }

    @Test
    void integersFollowTheCoreSchema() {
        assertThat(scalar("42")).isEqualTo(42L);
        assertThat(scalar("-7")).isEqualTo(-7L);
        assertThat(scalar("+7")).isEqualTo(7L);
        assertThat(scalar("012")).isEqualTo(12L);
        assertThat(scalar("0x1F")).isEqualTo(31L);
        assertThat(scalar("0o17")).isEqualTo(15L);
        assertThat(scalar("123456789012345678901234567890"))
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(scalar("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(scalar("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
    }

    @Test
    void floatsFollowTheCoreSchema() {
        assertThat(scalar("1.5")).isEqualTo(1.5);
        assertThat(scalar("1e3")).isEqualTo(1000.0);
        assertThat(scalar(".5")).isEqualTo(0.5);
        assertThat(scalar("-2.5E-1")).isEqualTo(-0.25);
        assertThat(scalar(".inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(scalar("-.Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) scalar(".NaN")).isNaN();
    }

    @Test
    void booleansAndNullsFollowTheCoreSchema() {
        assertThat(scalar("true")).isEqualTo(true);
        assertThat(scalar("True")).isEqualTo(true);
        assertThat(scalar("FALSE")).isEqualTo(false);
        assertThat(scalar("null")).isNull();
        assertThat(scalar("~")).isNull();
        assertThat(scalar("")).isNull();
        // YAML 1.1 booleans are plain strings in the core schema
        assertThat(scalar("yes")).isEqualTo("yes");
        assertThat(scalar("off")).isEqualTo("off");
    }

    @Test
    void quotedNumbersStayStrings() {
        assertThat(scalar("\"5\"")).isEqualTo("5");
        assertThat(scalar("'1.5'")).isEqualTo("1.5");
        assertThat(scalar("\"true\"")).isEqualTo("true");
        assertThat(scalar("'null'")).isEqualTo("null");
        assertThat(scalar("\"0x1F\"")).isEqualTo("0x1F");
        assertThat(scalar("1.2.3")).isEqualTo("1.2.3");
    }

    @Test
    void nonStringKeysBecomeTheirText() {
        YMap root = (YMap) parse("1: a\ntrue: b\n");
        assertThat(root.keys()).containsExactly("1", "true");
    }

    @Test
    void aliasesShareTheAnchoredValue() {
        YMap root = (YMap) parse("""
                base: &common
                  image: app
                  tag: latest
                copy: *common
                items: [&one 1, *one]
                """);
        assertThat(root.get("copy")).isSameAs(root.get("base"));
        assertThat(root.get("copy").toPlain()).isEqualTo(Map.of("image", "app", "tag", "latest"));
        assertThat(root.get("copy").location()).isEqualTo(Location.of("t.yaml", 1, 7));
        assertThat(root.get("items").toPlain()).isEqualTo(List.of(1L, 1L));
    }

    @Test
    void undefinedAliasIsAProblem() {
        assertThat(problemsOf("a: &x 1\nb: *y\n")).containsExactly("t.yaml:2:4: invalid YAML: found undefined alias y");
    }

    @Test
    void aliasesOfCollectionsAreLimited() {
        StringBuilder yaml = new StringBuilder("base: &b [1, 2]\nuses:\n");
        for (int i = 0; i < YamlReader.MAX_COLLECTION_ALIASES; i++) yaml.append("  - *b\n");
        assertThat(YamlReader.parse(yaml.toString(), "t.yaml", problems)).isPresent();
        assertThat(problems.sorted()).isEmpty();
        yaml.append("  - *b\n");
        assertThat(problemsOf(yaml.toString())).containsExactly("t.yaml:" + (YamlReader.MAX_COLLECTION_ALIASES + 3)
                + ":5: invalid YAML: more than 200 aliases of lists and maps in one document");
    }

    /** Ten lists of ten, each item an alias of the list before: 91 aliases that stand for 11 111 111 110 values. */
    private static String laughs(int levels) {
        StringBuilder yaml = new StringBuilder("a0: &a0 [" + String.join(", ", Collections.nCopies(10, "lol")) + "]\n");
        for (int i = 1; i < levels; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void aliasesThatExpandTooFarAreRefusedAtTheAliasThatCrossesTheLimit() {
        // a5 stands for 1 111 111 values; the aliases before line 7 for 1 244 550; the third *a5 passes 4 000 000
        assertThat(problemsOf(laughs(10))).containsExactly("t.yaml:7:20: invalid YAML: with this alias, the aliases "
                + "of the document stand for more than 4000000 keys and values; at most 4000000 are allowed (an "
                + "alias counts every key and value it repeats)");
    }

    @Test
    void aliasesUpToTheExpansionLimitAreRead() {
        // a list of 19 999 items is 20 000 nodes; 200 aliases of it stand for exactly the limit
        StringBuilder yaml = new StringBuilder("one: &one 1\nbase: &b [").append("0, ".repeat(19_998))
                .append("0]\nuses:\n");
        for (int i = 0; i < 200; i++) yaml.append("  - *b\n");
        assertThat(YamlReader.MAX_ALIASED_NODES).isEqualTo(200L * 20_000);
        YSeq uses = (YSeq) ((YMap) parse(yaml.toString())).get("uses");
        assertThat(uses.items()).hasSize(200).allSatisfy(u -> assertThat(((YSeq) u).size()).isEqualTo(19_999));
        assertThat(problemsOf(yaml + "more: *one\n")).containsExactly("t.yaml:204:7: invalid YAML: with this alias, "
                + "the aliases of the document stand for more than 4000000 keys and values; at most 4000000 are "
                + "allowed (an alias counts every key and value it repeats)");
    }

    @Test
    void aDocumentLargerThanThreeMebibytesIsRead() {
        String yaml = "items:\n" + "  - a value of some length, as a large template has\n".repeat(100_000);
        assertThat(yaml.length()).isGreaterThan(4 * 1024 * 1024);
        assertThat(((YSeq) ((YMap) parse(yaml)).get("items")).size()).isEqualTo(100_000);
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedUnread(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("big.yaml"), "key: välue\n");
        assertThat(YamlReader.read(file, "big.yaml", problems, 12)).isPresent();
        assertThat(YamlReader.read(file, "big.yaml", problems, 11)).isEmpty();
        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly("big.yaml: the file is 12 bytes "
                + "long; at most 11 are allowed (raise the limit with --max-template-bytes)");
    }

    @Test
    void textLargerThanTheLimitIsRefusedByItsUtf8Size() {
        assertThat(YamlReader.parse("k: \uD83D\uDE00é\n", "t.yaml", problems, 10)).isPresent();
        assertThat(YamlReader.parse("k: \uD83D\uDE00é\n", "t.yaml", problems, 9)).isEmpty();
        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly("t.yaml: the file is 10 bytes "
                + "long; at most 9 are allowed (raise the limit with --max-template-bytes)");
    }

    @Test
    void aFileAboveTheDefaultLimitIsReadWhenTheLimitIsRaised(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("large.yaml");
        String line = "# a comment line that makes the file large without giving the parser work\n";
        try (var out = Files.newBufferedWriter(file)) {
            for (long written = 0; written <= YamlReader.DEFAULT_MAX_BYTES; written += line.length()) out.write(line);
            out.write("key: value\n");
        }
        assertThat(YamlReader.read(file, "large.yaml", problems, YamlReader.DEFAULT_MAX_BYTES * 2)
                .map(YNode::toPlain)).contains(Map.of("key", "value"));
        assertThat(problems.sorted()).isEmpty();
        assertThat(YamlReader.read(file, "large.yaml", problems)).isEmpty();
        assertThat(problems.sorted()).extracting(Problem::toString).singleElement().asString()
                .startsWith("large.yaml: the file is ").endsWith(" bytes long; at most 67108864 are allowed (raise "
                        + "the limit with --max-template-bytes)");
    }

    @Test
    void aRunOfCharactersLongerThanAnyValueIsRefusedBeforeTheParserCopiesIt() {
        String atLimit = "a".repeat(65_536);
        assertThat(((YMap) parse("k: " + atLimit + "\n")).get("k").toPlain()).isEqualTo(atLimit);
        assertThat(problemsOf("k: ok\nv: x" + "b".repeat(3 * 1024 * 1024) + "\n")).containsExactly("t.yaml:2:4: "
                + "invalid YAML: more than 65536 characters without a space or line break; at most 65536 are allowed");
    }

    @Test
    void integersLongerThanAThousandDigitsAreRefusedUnconverted() {
        assertThat(scalar("1".repeat(1000))).isEqualTo(new BigInteger("1".repeat(1000)));
        assertThat(problemsOf("a: [1, " + "1".repeat(60_000) + "]\n"))
                .containsExactly("t.yaml:1:8: the integer is 60000 characters long; at most 1000 are allowed");
    }

    @Test
    void anAliasAsAKeyIsTheAnchoredText() {
        assertThat(problemsOf("&k name: 1\n*k : 2\n"))
                .containsExactly("t.yaml:2:1: duplicate key \"name\" (first defined at line 1)");
    }

    @Test
    void deeplyNestedValuesAreRead() {
        String yaml = "v: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        YNode v = ((YMap) parse(yaml)).get("v");
        int depth = 0;
        while (v instanceof YSeq seq && seq.size() == 1) {
            v = seq.get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(4999);
    }

    @Test
    void customTagsAreRejected() {
        assertThat(problemsOf("a: !custom x\n"))
                .containsExactly("t.yaml:1:4: unsupported YAML tag !custom; only plain values are accepted");
    }

    @Test
    void standardTagsForNonPlainValuesAreRejected() {
        assertThat(problemsOf("a: !!binary aGVsbG8=\n")).containsExactly(
                "t.yaml:1:4: unsupported YAML tag tag:yaml.org,2002:binary; only plain values are accepted");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "!!int abc   | int",
            "!!float abc | float",
            "!!bool yes  | bool",
            "!!null x    | null",
            "!!str 5     | str",
            "!!int \"5\" | int"})
    void explicitTagsOnValuesAreRejected(String value, String tag) {
        assertThat(problemsOf("a: " + value + "\n")).containsExactly(
                "t.yaml:1:4: unsupported YAML tag tag:yaml.org,2002:" + tag + "; only plain values are accepted");
    }

    @Test
    void explicitTagsOnCollectionsAreRejected() {
        assertThat(problemsOf("a: !custom {x: 1}\nb: !!set {y: null}\nc: !things [1]\n")).containsExactly(
                "t.yaml:1:4: unsupported YAML tag !custom; only plain values are accepted",
                "t.yaml:2:4: unsupported YAML tag tag:yaml.org,2002:set; only plain values are accepted",
                "t.yaml:3:4: unsupported YAML tag !things; only plain values are accepted");
    }

    @Test
    void syntaxErrorsAreLocated() {
        assertThat(problemsOf("a: b: c\n"))
                .containsExactly("t.yaml:1:5: invalid YAML: mapping values are not allowed here");
    }

    @Test
    void unclosedFlowSequenceIsLocatedAtTheEnd() {
        assertThat(problemsOf("a: [1, 2\n"))
                .containsExactly("t.yaml:2:1: invalid YAML: expected ',' or ']', but got <stream end>");
    }

    @Test
    void tabIndentationIsLocated() {
        assertThat(problemsOf("a:\n\tb: 1\n")).singleElement().asString()
                .startsWith("t.yaml:2:1: invalid YAML: found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    void severalDocumentsAreAProblem() {
        assertThat(problemsOf("a: 1\n---\nb: 2\n")).containsExactly("t.yaml:2:1: invalid YAML: expected a single "
                + "document in the stream, but found another document (the first starts at line 1)");
    }

    @Test
    void collectionKeysAreRejected() {
        assertThat(problemsOf("? [a, b]\n: 1\n"))
                .containsExactly("t.yaml:1:3: map keys must be plain values, not lists or maps");
    }

    @Test
    void emptyFileIsAProblem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(YamlReader.read(file, "empty.yaml", problems)).isEmpty();
        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly("empty.yaml: the file is empty");
    }

    @Test
    void fileWithOnlyCommentsIsEmpty() {
        assertThat(problemsOf("# nothing here\n\n")).containsExactly("t.yaml: the file is empty");
    }

    @Test
    void missingFileIsAProblem(@TempDir Path dir) {
        assertThat(YamlReader.read(dir.resolve("nope.yaml"), "nope.yaml", problems)).isEmpty();
        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly("nope.yaml: file not found");
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f.yaml"), "key: välue\n");
        YNode root = YamlReader.read(file, "f.yaml", problems).orElseThrow();
        assertThat(root.toPlain()).isEqualTo(Map.of("key", "välue"));
        assertThat(root.location().file()).isEqualTo("f.yaml");
    }

    @Test
    void describesValuesForMessages() {
        YMap root = (YMap) parse("s: x\ni: 5\nf: 1.5\nb: true\nn: null\nl: []\nm: {}\n");
        assertThat(root.get("s").describe()).isEqualTo("the string \"x\"");
        assertThat(root.get("i").describe()).isEqualTo("the integer 5");
        assertThat(root.get("f").describe()).isEqualTo("the float 1.5");
        assertThat(root.get("b").describe()).isEqualTo("the boolean true");
        assertThat(root.get("n").describe()).isEqualTo("null");
        assertThat(root.get("l").describe()).isEqualTo("a list");
        assertThat(root.get("m").describe()).isEqualTo("a map");
    }
}
