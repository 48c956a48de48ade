package io.imagebuilder.yaml;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.util.Maps;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds located nodes straight from parser events. Without snakeyaml's node tree in between, a large template is
 * not held twice while it is read, and each plain scalar is typed once. Collections are built on an explicit
 * stack, so nesting depth is bounded by memory rather than by the thread's stack.
 */
final class EventReader {

    /** How the core schema types untagged scalars: a scalar with any other tag was tagged explicitly. */
    private static final ScalarResolver IMPLICIT_TAGS = new CoreSchema().getScalarResolver();
    private static final String SEQ = Tag.SEQ.getValue();
    private static final String MAP = Tag.MAP.getValue();
    /**
     * Far beyond any integer a template needs (TOSCA's are 32-bit), yet short enough to convert at once: converting
     * decimal text to a number takes time that grows with the square of its length, minutes for a few megabytes.
     */
    static final int MAX_INTEGER_LENGTH = 1000;

    private final String file;
    private final Problems problems;
    private final int maxCollectionAliases;
    private final long maxAliasedNodes;
    private final Map<Anchor, YNode> anchors = new HashMap<>();
    /** How many nodes each anchored value stands for, counting what its own aliases stand for. */
    private final Map<Anchor, Long> anchorSizes = new HashMap<>();
    /** The raw text of anchored scalars, for aliases used as map keys. */
    private final Map<Anchor, String> anchorTexts = new HashMap<>();
    /** Anchors of collections still being read: an alias to one of them would make a value contain itself. */
    private final Map<Anchor, Location> open = new HashMap<>();
    private final ArrayDeque<Collection> stack = new ArrayDeque<>();
    private int collectionAliases;
    /** Nodes that aliases stand for so far: what a reader that copies aliased values would have to build. */
    private long aliasedNodes;

    EventReader(String file, Problems problems, int maxCollectionAliases, long maxAliasedNodes) {
        this.file = file;
        this.problems = problems;
        this.maxCollectionAliases = maxCollectionAliases;
        this.maxAliasedNodes = maxAliasedNodes;
    }

    /** The stream's only document; empty, with the reason in the problems, when there is none or it is unusable. */
    Optional<YNode> document(Parser events) {
        events.next(); // stream start
        if (events.checkEvent(Event.ID.StreamEnd)) {
            problems.add(Location.file(file), "the file is empty");
            return Optional.empty();
        }
        Optional<Location> documentStart = events.next().getStartMark().map(this::at);
        Optional<YNode> root = node(events);
        if (root.isEmpty()) return root;
        events.next(); // document end
        if (!events.checkEvent(Event.ID.StreamEnd)) {
            Event next = events.next();
            problems.add(next.getStartMark().map(this::at).orElse(Location.file(file)),
                    "invalid YAML: expected a single document in the stream, but found another document"
                            + documentStart.map(l -> " (the first starts at line " + l.line() + ")").orElse(""));
            return Optional.empty();
        }
        return root;
    }

    /** Reads one whole node, however deeply nested; empty after a problem that ends reading. */
    private Optional<YNode> node(Parser events) {
        while (true) {
            Event event = events.next();
            YNode done;
            long size = 1;
            switch (event.getEventId()) {
                case Scalar -> done = scalar((ScalarEvent) event);
                case Alias -> {
                    AliasEvent alias = (AliasEvent) event;
                    Optional<YNode> target = alias(alias);
                    if (target.isEmpty()) return target;
                    done = target.get();
                    size = anchorSizes.getOrDefault(alias.getAlias(), 1L);
                    aliasedNodes += size;
                    if (aliasedNodes > maxAliasedNodes) {
                        problems.add(location(event), "invalid YAML: with this alias, the aliases of the document "
                                + "stand for more than " + maxAliasedNodes + " keys and values; at most "
                                + maxAliasedNodes + " are allowed (an alias counts every key and value it repeats)");
                        return Optional.empty();
                    }
                }
                case SequenceStart, MappingStart -> {
                    start((CollectionStartEvent) event);
                    continue;
                }
                case SequenceEnd, MappingEnd -> {
                    size = stack.peek().size;
                    done = finish();
                }
                default -> throw new IllegalStateException("unexpected YAML event " + event);
            }
            if (stack.isEmpty()) return Optional.of(done);
            Collection parent = stack.peek();
            parent.size += size;
            parent.add(done, event, this);
        }
    }

    private Location at(Mark mark) {
        return YamlReader.at(file, mark);
    }

    /** Called for every event of the file, so it builds nothing but the location itself. */
    private Location location(Event event) {
        Optional<Mark> mark = event.getStartMark();
        return mark.isPresent() ? at(mark.get()) : Location.file(file);
    }

    private YNode scalar(ScalarEvent event) {
        Location at = location(event);
        String text = event.getValue();
        Tag implicit = resolve(text, event.getScalarStyle() == ScalarStyle.PLAIN);
        Optional<String> tag = event.getTag();
        YScalar value;
        if (tag.isPresent() && !tag.get().equals("!") && !tag.get().equals(implicit.getValue())) {
            unsupportedTag(tag.get(), at);
            value = YScalar.of(text, at);
        } else if (implicit == Tag.INT && text.length() > MAX_INTEGER_LENGTH) {
            problems.add(at, "the integer is " + text.length() + " characters long; at most " + MAX_INTEGER_LENGTH
                    + " are allowed");
            value = YScalar.of(text, at);
        } else {
            value = YScalar.of(typed(text, implicit), at);
        }
        if (event.getAnchor().isPresent()) {
            Anchor a = event.getAnchor().get();
            anchors.put(a, value);
            anchorSizes.remove(a);
            anchorTexts.put(a, text);
        }
        return value;
    }

    private static Object typed(String text, Tag tag) {
        if (tag == Tag.NULL) return null;
        if (tag == Tag.BOOL) return Boolean.valueOf(text.toLowerCase());
        if (tag == Tag.INT) return integer(text);
        if (tag == Tag.FLOAT) return floating(text);
        return text;
    }

    /**
     * Plain text that starts with a letter no core-schema null, boolean or number starts with is a string; only
     * the rest goes through the schema's regular expressions, which dominate reading otherwise.
     */
    private static Tag resolve(String text, boolean plain) {
        if (!plain) return Tag.STR;
        if (!text.isEmpty()) {
            char c = text.charAt(0);
            if ((c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && "nNtTfF".indexOf(c) < 0) return Tag.STR;
        }
        Tag tag = IMPLICIT_TAGS.resolve(text, true);
        if (tag.equals(Tag.STR)) return Tag.STR;
        if (tag.equals(Tag.NULL)) return Tag.NULL;
        if (tag.equals(Tag.BOOL)) return Tag.BOOL;
        if (tag.equals(Tag.INT)) return Tag.INT;
        if (tag.equals(Tag.FLOAT)) return Tag.FLOAT;
        return tag;
    }

    private static Object integer(String text) {
        String t = text.replace("_", "");
        BigInteger value;
        if (t.startsWith("0x")) value = new BigInteger(t.substring(2), 16);
        else if (t.startsWith("0o")) value = new BigInteger(t.substring(2), 8);
        else if (t.length() < 19) return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        else value = new BigInteger(t.startsWith("+") ? t.substring(1) : t);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static Double floating(String text) {
        String t = text.toLowerCase();
        if (t.endsWith(".inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (t.equals(".nan")) return Double.NaN;
        return Double.valueOf(t);
    }

    /** Explicit tags ("!!int", "!custom") are not accepted; a scalar keeps its text. */
    private void unsupportedTag(String tag, Location at) {
        problems.add(at, "unsupported YAML tag " + tag + "; only plain values are accepted");
    }

    private Optional<YNode> alias(AliasEvent event) {
        Anchor name = event.getAlias();
        Location at = location(event);
        Location cycle = open.get(name);
        if (cycle != null) {
            problems.add(cycle, "an alias refers to a value that contains it; recursive values are not accepted");
            return Optional.of(YScalar.of(null, cycle));
        }
        YNode target = anchors.get(name);
        if (target == null) {
            problems.add(at, "invalid YAML: found undefined alias " + name);
            return Optional.empty();
        }
        if (!(target instanceof YScalar) && ++collectionAliases > maxCollectionAliases) {
            problems.add(at, "invalid YAML: more than " + maxCollectionAliases
                    + " aliases of lists and maps in one document");
            return Optional.empty();
        }
        return Optional.of(target);
    }

    private void start(CollectionStartEvent event) {
        Location at = location(event);
        boolean sequence = event.getEventId() == Event.ID.SequenceStart;
        Optional<String> tag = event.getTag();
        if (tag.isPresent() && !tag.get().equals("!") && !tag.get().equals(sequence ? SEQ : MAP)) {
            unsupportedTag(tag.get(), at);
        }
        if (event.getAnchor().isPresent()) open.put(event.getAnchor().get(), at);
        stack.push(sequence ? new Sequence(at, event.getAnchor()) : new Mapping(at, event.getAnchor()));
    }

    private YNode finish() {
        Collection done = stack.pop();
        YNode node = done.build();
        done.anchor.ifPresent(a -> {
            open.remove(a);
            anchors.put(a, node);
            anchorSizes.put(a, done.size);
            anchorTexts.remove(a);
        });
        return node;
    }

    /** A list or map whose items are still being read. */
    private abstract static class Collection {
        final Location location;
        final Optional<Anchor> anchor;
        /** This value's nodes, itself included, with every alias in it counted as the value it stands for. */
        long size = 1;

        Collection(Location location, Optional<Anchor> anchor) {
            this.location = location;
            this.anchor = anchor;
        }

        /** {@code event} is the last event of {@code item}: the scalar or alias itself, or a collection's end. */
        abstract void add(YNode item, Event event, EventReader reader);

        abstract YNode build();
    }

    private static final class Sequence extends Collection {
        private final List<YNode> items = new ArrayList<>();

        Sequence(Location location, Optional<Anchor> anchor) {
            super(location, anchor);
        }

        @Override
        void add(YNode item, Event event, EventReader reader) {
            items.add(item);
        }

        @Override
        YNode build() {
            return new YSeq(items, location);
        }
    }

    private static final class Mapping extends Collection {
        private final LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
        private final LinkedHashMap<String, Location> keys = new LinkedHashMap<>();
        private boolean expectingKey = true;
        /** The key the next value belongs to; null when that value is to be dropped (a bad or repeated key). */
        private String key;
        private Location keyAt;

        Mapping(Location location, Optional<Anchor> anchor) {
            super(location, anchor);
        }

        @Override
        void add(YNode item, Event event, EventReader reader) {
            if (!expectingKey) {
                if (key != null) {
                    entries.put(key, item);
                    keys.put(key, keyAt);
                }
                expectingKey = true;
                return;
            }
            expectingKey = false;
            // an alias key is shown where it is written, not where its anchor is
            keyAt = event instanceof AliasEvent ? reader.location(event) : item.location();
            key = reader.keyText(item, event);
            if (key == null) {
                reader.problems.add(keyAt, "map keys must be plain values, not lists or maps");
            } else if (entries.containsKey(key)) {
                reader.problems.add(keyAt, "duplicate key " + Quote.of(key) + " (first defined at line "
                        + keys.get(key).line() + ")");
                key = null;
            }
        }

        @Override
        YNode build() {
            return new YMap(Maps.own(entries), Maps.own(keys), location);
        }
    }

    /** A key is the scalar's text as written ("1", "true", "~"); null for a list or map. */
    private String keyText(YNode key, Event event) {
        if (!(key instanceof YScalar)) return null;
        if (event instanceof ScalarEvent scalar) return scalar.getValue();
        if (event instanceof AliasEvent alias) return anchorTexts.get(alias.getAlias());
        return null;
    }
}
