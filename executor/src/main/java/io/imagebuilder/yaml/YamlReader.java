package io.imagebuilder.yaml;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.ValueLength;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads one YAML document into located nodes. Only parses (never constructs objects), so loading is safe;
 * duplicate keys and explicit tags are reported as problems with their positions.
 */
public final class YamlReader {

    /** Aliases of lists and maps allowed per document: shared subtrees would otherwise let a tiny file expand. */
    static final int MAX_COLLECTION_ALIASES = 200;
    /**
     * Keys and values that aliases may stand for in one document. Aliased values are shared, not copied, but every
     * later step that walks a value (type checks, functions, printing the plan) walks an alias once per use.
     */
    static final long MAX_ALIASED_NODES = 4_000_000;
    /** How large a file may be unless the caller says otherwise: generous, yet a bound against hostile input. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /**
     * The most characters a document may hold without a space or line break. The parser copies a token that spans
     * its read buffer again for every kilobyte it reads, so one run of megabytes costs gigabytes; a value that long
     * would be refused anyway ({@link ValueLength}).
     */
    static final int MAX_RUN = ValueLength.MAX;
    /** The command line option that sets the limit, named in the problem so the user knows how to raise it. */
    public static final String MAX_BYTES_OPTION = "--max-template-bytes";

    private YamlReader() {
    }

    /** Empty when the file could not be read or parsed; the reason is in {@code problems}. */
    public static Optional<YNode> read(Path file, String displayName, Problems problems) {
        return read(file, displayName, problems, DEFAULT_MAX_BYTES);
    }

    /** As {@link #read(Path, String, Problems)}, refusing a file of more than {@code maxBytes} bytes unread. */
    public static Optional<YNode> read(Path file, String displayName, Problems problems, long maxBytes) {
        String text;
        try {
            if (tooLarge(Files.size(file), maxBytes, displayName, problems)) return Optional.empty();
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(Location.file(displayName), "file not found");
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Location.file(displayName), "cannot read file: " + e.getMessage());
            return Optional.empty();
        }
        return parse(text, displayName, problems, maxBytes);
    }

    public static Optional<YNode> parse(String text, String displayName, Problems problems) {
        return parse(text, displayName, problems, DEFAULT_MAX_BYTES);
    }

    /** Parses {@code text}, refusing it when its UTF-8 form has more than {@code maxBytes} bytes. */
    public static Optional<YNode> parse(String text, String displayName, Problems problems, long maxBytes) {
        if (tooLarge(utf8Length(text), maxBytes, displayName, problems)) return Optional.empty();
        int run = longRun(text);
        if (run >= 0) {
            problems.add(position(text, run, displayName), "invalid YAML: more than " + MAX_RUN + " characters "
                    + "without a space or line break; at most " + MAX_RUN + " are allowed");
            return Optional.empty();
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(displayName)
                .setSchema(new CoreSchema())
                .setUseMarks(true)
                // every code point is at least one byte, so this never refuses what the byte limit allowed
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes))
                .build();
        try {
            return new EventReader(displayName, problems, MAX_COLLECTION_ALIASES, MAX_ALIASED_NODES)
                    .document(new ParserImpl(settings, new StreamReader(settings, text)));
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().or(e::getContextMark)
                    .map(m -> at(displayName, m)).orElse(Location.file(displayName));
            problems.add(at, "invalid YAML: " + e.getProblem());
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(Location.file(displayName), "invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Whether a file of {@code bytes} bytes is over the limit, reported as a problem naming the option that raises
     * it; for callers that need a file's text themselves, to check before reading it.
     */
    public static boolean tooLarge(long bytes, long maxBytes, String displayName, Problems problems) {
        if (bytes <= maxBytes) return false;
        problems.add(Location.file(displayName), "the file is " + bytes + " bytes long; at most " + maxBytes
                + " are allowed (raise the limit with " + MAX_BYTES_OPTION + ")");
        return true;
    }

    /** Where the first run of more than {@link #MAX_RUN} characters without white space starts; -1 when none. */
    private static int longRun(String text) {
        if (text.length() <= MAX_RUN) return -1;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') start = i + 1;
            else if (i - start >= MAX_RUN) return start;
        }
        return -1;
    }

    private static Location position(String text, int index, String displayName) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return Location.of(displayName, line, text.codePointCount(lineStart, index) + 1);
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // a surrogate pair is four bytes: two for each half
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    static Location at(String file, Mark mark) {
        return Location.of(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
