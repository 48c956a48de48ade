package io.imagebuilder.tosca.load;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.syntax.ImportDef;
import io.imagebuilder.tosca.syntax.ServiceTemplate;
import io.imagebuilder.tosca.syntax.SyntaxReader;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** The read phase: parses the main template and, transitively, every file it imports. */
public final class ReadPhase {

    public static final String NORMATIVE_RESOURCE = "/io/imagebuilder/tosca/normative-types-1.3.yaml";
    public static final String NORMATIVE_NAME = "builtin:normative-types-1.3.yaml";

    private final Problems problems;
    private final Path workingDirectory;
    private final long maxBytes;
    private final Map<Path, SourceFile> done = new LinkedHashMap<>();
    private final Deque<Path> reading = new ArrayDeque<>();
    private final List<SourceFile> order = new ArrayList<>();

    public ReadPhase(Problems problems, Path workingDirectory) {
        this(problems, workingDirectory, YamlReader.DEFAULT_MAX_BYTES);
    }

    /** {@code maxBytes}: the largest file this reads, the template and each import alike. */
    public ReadPhase(Problems problems, Path workingDirectory, long maxBytes) {
        this.problems = problems;
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Sources run(Path mainTemplate) {
        // The normative types are read beside the template: a first read runs cold code, and costs about as much as
        // a template of a few thousand lines.
        Problems normativeProblems = new Problems();
        CompletableFuture<SourceFile> normative = CompletableFuture.supplyAsync(() -> readNormative(normativeProblems),
                runnable -> new Thread(runnable, "normative-types").start());
        Path main = mainTemplate.toAbsolutePath().normalize();
        SourceFile mainFile = read(main, Location.file(displayName(main)));
        SourceFile normativeFile = normative.join();
        problems.addAll(normativeProblems);
        order.add(0, normativeFile);
        return new Sources(order, done, normativeFile, mainFile);
    }

    /** Shows paths relative to where the user is, as compilers do. */
    public String displayName(Path path) {
        return path.startsWith(workingDirectory) ? workingDirectory.relativize(path).toString() : path.toString();
    }

    private static SourceFile readNormative(Problems problems) {
        try (InputStream in = ReadPhase.class.getResourceAsStream(NORMATIVE_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + NORMATIVE_RESOURCE);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            YNode root = YamlReader.parse(text, NORMATIVE_NAME, problems).orElseThrow();
            ServiceTemplate t = new SyntaxReader(problems).read(root, null, NORMATIVE_NAME);
            return new SourceFile(t, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SourceFile read(Path path, Location importedAt) {
        SourceFile known = done.get(path);
        if (known != null) return known;
        String name = displayName(path);
        if (!Files.isRegularFile(path)) {
            problems.add(importedAt, Files.exists(path) ? "not a file: " + name : "file not found: " + name);
            return null;
        }
        Optional<YNode> root = YamlReader.read(path, name, problems, maxBytes);
        if (root.isEmpty()) return null;
        ServiceTemplate template = new SyntaxReader(problems).read(root.get(), path, name);
        reading.push(path);
        List<SourceFile.Import> imports = new ArrayList<>();
        for (ImportDef def : template.imports()) {
            Path target = resolve(path, def);
            if (target == null) continue;
            if (reading.contains(target)) {
                problems.add(def.file().location(), "import cycle: " + cycle(target));
                continue;
            }
            if (read(target, def.file().location()) != null) imports.add(new SourceFile.Import(def, target));
        }
        reading.pop();
        SourceFile file = new SourceFile(template, imports);
        done.put(path, file);
        order.add(file);
        return file;
    }

    private Path resolve(Path importer, ImportDef def) {
        String file = def.file().value();
        if (file.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            problems.add(def.file().location(), "importing by URL is not supported (\"" + file
                    + "\"); import files by relative path");
            return null;
        }
        return importer.getParent().resolve(file).normalize();
    }

    private String cycle(Path target) {
        List<Path> chain = new ArrayList<>(reading);
        java.util.Collections.reverse(chain);
        List<Path> loop = chain.subList(chain.indexOf(target), chain.size());
        return loop.stream().map(this::displayName).collect(Collectors.joining(" -> ")) + " -> "
                + displayName(target);
    }
}
