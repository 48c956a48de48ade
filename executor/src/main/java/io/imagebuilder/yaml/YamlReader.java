package io.imagebuilder.yaml;

import io.imagebuilder.problem.Problems;
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
                .setUseMarks(true)
                .build();
        try {
            return new EventReader(displayName, problems, MAX_COLLECTION_ALIASES)
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

    static Location at(String file, Mark mark) {
        return Location.of(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
