package io.imagebuilder.imagebuild.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Reads the golden files under {@code src/test/resources/build/dockerfile}: one directory per case. A case's
 * optional {@code case.properties} may say {@code line-endings=crlf}: its files are then used with every line
 * ending turned into CRLF, so the files themselves stay plain whatever Git does to line endings.
 */
final class Golden {

    static final Path ROOT = Path.of("src", "test", "resources", "build", "dockerfile");

    private Golden() {
    }

    /** The case directories below {@code group}, sorted, failing when there are fewer than {@code minimum}. */
    static Stream<String> cases(String group, int minimum) {
        Path dir = ROOT.resolve(group);
        try (Stream<Path> children = Files.list(dir)) {
            List<String> names = children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
                    .toList();
            assertThat(names).as("cases under %s", dir.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(minimum);
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties properties(Path caseDir) {
        Properties properties = new Properties();
        Path file = caseDir.resolve("case.properties");
        if (Files.isRegularFile(file)) {
            try {
                properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    /** A file of the case, with the case's line endings applied. */
    static String read(Path caseDir, String file) {
        try {
            String text = Files.readString(caseDir.resolve(file), StandardCharsets.UTF_8);
            boolean crlf = "crlf".equals(properties(caseDir).getProperty("line-endings"));
            return crlf ? crlf(text) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An expected message: the file's single line. */
    static String message(Path caseDir, String file) {
        try {
            return Files.readString(caseDir.resolve(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
