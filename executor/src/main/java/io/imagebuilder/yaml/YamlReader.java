package io.imagebuilder.yaml;

import io.imagebuilder.problem.Problems;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML document into located nodes. Composes only (never constructs objects), so loading is safe;
 * duplicate keys and explicit tags are reported as problems with their positions.
 */
public final class YamlReader {

    /** How the core schema types untagged scalars: a scalar with any other tag was tagged explicitly. */
    private static final ScalarResolver IMPLICIT_TAGS = new CoreSchema().getScalarResolver();

    private YamlReader() {
    }

    /** Empty when the file could not be read or parsed; the reason is in {@code problems}. */
    public static Optional<YNode> read(Path file, String displayName, Problems problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(Location.file(displayName), "file not found");
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Location.file(displayName), "cannot read file: " + e.getMessage());
            return Optional.empty();
        }
        return parse(text, displayName, problems);
    }

    public static Optional<YNode> parse(String text, String displayName, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(displayName)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(true) // reported below with both positions
                .setMaxAliasesForCollections(200)
                .setUseMarks(true)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().or(e::getContextMark)
                    .map(m -> at(displayName, m)).orElse(Location.file(displayName));
            problems.add(at, "invalid YAML: " + e.getProblem());
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(Location.file(displayName), "invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
        if (root.isEmpty()) {
            problems.add(Location.file(displayName), "the file is empty");
            return Optional.empty();
        }
        return Optional.of(new Converter(displayName, problems).convert(root.get()));
    }

    private static Location at(String file, Mark mark) {
        return Location.of(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Turns composed nodes into located values; aliases become shared subtrees. */
    private static final class Converter {
        private final String file;
        private final Problems problems;
        private final Map<Node, YNode> done = new IdentityHashMap<>();
        private final Map<Node, Node> converting = new IdentityHashMap<>();

        Converter(String file, Problems problems) {
            this.file = file;
            this.problems = problems;
        }

        YNode convert(Node node) {
            YNode known = done.get(node);
            if (known != null) return known;
            if (converting.containsKey(node)) {
                problems.add(location(node), "an alias refers to a value that contains it; recursive values are "
                        + "not accepted");
                return YScalar.of(null, location(node));
            }
            converting.put(node, node);
            YNode out = switch (node.getNodeType()) {
                case SCALAR -> scalar((ScalarNode) node);
                case SEQUENCE -> sequence((SequenceNode) node);
                case MAPPING -> mapping((MappingNode) node);
                default -> YScalar.of(null, location(node));
            };
            converting.remove(node);
            done.put(node, out);
            return out;
        }

        private Location location(Node node) {
            return node.getStartMark().map(m -> at(file, m)).orElse(Location.file(file));
        }

        private YNode scalar(ScalarNode node) {
            Location at = location(node);
            Tag tag = node.getTag();
            String text = node.getValue();
            if (!tag.equals(IMPLICIT_TAGS.resolve(text, node.isPlain()))) return explicitTag(tag, at, text);
            if (Tag.STR.equals(tag)) return YScalar.of(text, at);
            if (Tag.NULL.equals(tag)) return YScalar.of(null, at);
            if (Tag.BOOL.equals(tag)) return YScalar.of(Boolean.valueOf(text.toLowerCase()), at);
            if (Tag.INT.equals(tag)) return YScalar.of(integer(text), at);
            if (Tag.FLOAT.equals(tag)) return YScalar.of(floating(text), at);
            problems.add(at, "unsupported YAML tag " + tag.getValue() + "; only plain values are accepted");
            return YScalar.of(text, at);
        }

        private static Object integer(String text) {
            String t = text.replace("_", "");
            BigInteger value;
            if (t.startsWith("0x")) value = new BigInteger(t.substring(2), 16);
            else if (t.startsWith("0o")) value = new BigInteger(t.substring(2), 8);
            else value = new BigInteger(t.startsWith("+") ? t.substring(1) : t);
            return value.bitLength() < 64 ? (Object) value.longValue() : value;
        }

        private static Double floating(String text) {
            String t = text.toLowerCase();
            if (t.endsWith(".inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            if (t.equals(".nan")) return Double.NaN;
            return Double.valueOf(t);
        }

        /** Explicit tags ("!!int", "!custom") are not accepted; the value is kept as its text. */
        private YScalar explicitTag(Tag tag, Location at, String text) {
            problems.add(at, "unsupported YAML tag " + tag.getValue() + "; only plain values are accepted");
            return YScalar.of(text, at);
        }

        private YNode sequence(SequenceNode node) {
            if (!Tag.SEQ.equals(node.getTag())) explicitTag(node.getTag(), location(node), null);
            List<YNode> items = new ArrayList<>(node.getValue().size());
            for (Node item : node.getValue()) items.add(convert(item));
            return new YSeq(items, location(node));
        }

        private YNode mapping(MappingNode node) {
            if (!Tag.MAP.equals(node.getTag())) explicitTag(node.getTag(), location(node), null);
            Map<String, YNode> entries = new LinkedHashMap<>();
            Map<String, Location> keys = new LinkedHashMap<>();
            for (NodeTuple tuple : node.getValue()) {
                Node keyNode = tuple.getKeyNode();
                Location keyAt = location(keyNode);
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    problems.add(keyAt, "map keys must be plain values, not lists or maps");
                    continue;
                }
                String key = scalarKey.getValue();
                if (entries.containsKey(key)) {
                    problems.add(keyAt, "duplicate key \"" + key + "\" (first defined at line "
                            + keys.get(key).line() + ")");
                    continue;
                }
                entries.put(key, convert(tuple.getValueNode()));
                keys.put(key, keyAt);
            }
            return new YMap(entries, keys, location(node));
        }
    }
}
