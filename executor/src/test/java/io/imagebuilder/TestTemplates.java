package io.imagebuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.tosca.ToscaLoader;
import io.imagebuilder.tosca.topology.Topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small templates into a directory and loads them, with file names shown relative to that directory. */
public final class TestTemplates {

    public static final String VERSION = "tosca_definitions_version: tosca_simple_yaml_1_3\n";

    private TestTemplates() {
    }

    /** Writes {@code text} to {@code dir/name}, creating directories as needed. */
    public static Path write(Path dir, String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Loads {@code dir/template} with the given inputs files (names relative to {@code dir}). */
    public static Topology load(Path dir, String template, String... inputs) {
        List<Path> inputFiles = new ArrayList<>();
        for (String input : inputs) inputFiles.add(dir.resolve(input));
        return new ToscaLoader(dir).load(dir.resolve(template), inputFiles);
    }

    /** Loads a template that must be invalid and returns the exception listing its problems. */
    public static InvalidInputException invalid(Path dir, String template, String... inputs) {
        InvalidInputException[] caught = new InvalidInputException[1];
        assertThatThrownBy(() -> load(dir, template, inputs))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> caught[0] = e);
        return caught[0];
    }

    /** The problems as the command line prints them: {@code file:line:col: message}. */
    public static List<String> messages(InvalidInputException e) {
        return e.problems().stream().map(Problem::toString).toList();
    }

    /** The root of the repository (blueprints/, library/, inputs/), as set by the build. */
    public static Path repo() {
        String repo = System.getProperty("imagebuilder.repo");
        Path path = repo != null ? Path.of(repo) : Path.of("..");
        return path.toAbsolutePath().normalize();
    }
}
