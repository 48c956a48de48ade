package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed Dockerfile: its exact text, its stages and the ARGs declared before the first FROM. Instances come from
 * {@link #parse(String)}; editing one ({@link #withBase}) changes a single word of the text and nothing else, so
 * the user's comments, layout and line endings survive.
 *
 * @param text the Dockerfile, exactly as given (or as edited)
 * @param stages one per FROM, in order
 * @param globalArgs the names of the ARGs declared before the first FROM, in order, each once
 */
public record Dockerfile(String text, List<Stage> stages, List<String> globalArgs) {

    public Dockerfile {
        Objects.requireNonNull(text, "text");
        stages = List.copyOf(stages);
        globalArgs = List.copyOf(globalArgs);
    }

    /**
     * Parses Dockerfile text as BuildKit does: parser directives ({@code # syntax=}, {@code # escape=} with
     * {@code \} or {@code `}) only at the very top, comments, empty lines, lines continued with the escape character
     * (comment and empty lines among continued lines are skipped), keywords in any case. Instructions other than
     * FROM and the ARGs before it are not interpreted; their shell or JSON form stays as written. Here-document
     * bodies are skipped, not interpreted.
     */
    public static Dockerfile parse(String text) throws DockerfileException {
        ParsedDockerfile parsed = ParsedDockerfile.parse(Objects.requireNonNull(text, "text"));
        List<FromInstruction> froms = parsed.froms();
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < froms.size(); i++) {
            FromInstruction from = froms.get(i);
            stages.add(new Stage(i, from.imageName(), from.name(), from.platform(), from.instruction().lineNumber()));
        }
        return new Dockerfile(text, stages, parsed.globalArgs());
    }

    /**
     * The images the stages are based on, as the builder pulls them: variables in a FROM expanded from the build
     * arguments, else from the defaults of the ARGs before the first FROM (an unknown one expands to nothing, as
     * BuildKit has it); stages based on an earlier stage, and scratch, left out; each image once, in order.
     */
    public List<String> baseImages(java.util.Map<String, String> buildArgs) throws DockerfileException {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (var base : bases(ParsedDockerfile.parse(text), buildArgs).entrySet()) out.add(base.getValue());
        return List.copyOf(out);
    }

    /**
     * This Dockerfile with each base image named in {@code pins} (as {@link #baseImages} gives it) replaced by its
     * pinned reference, such as {@code debian:12@sha256:...}; every other word stays as written.
     */
    public Dockerfile withPinnedBases(java.util.Map<String, String> buildArgs, java.util.Map<String, String> pins)
            throws DockerfileException {
        ParsedDockerfile parsed = ParsedDockerfile.parse(text);
        List<Edit> edits = new ArrayList<>();
        for (var base : bases(parsed, buildArgs).entrySet()) {
            String pinned = pins.get(base.getValue());
            if (pinned == null) continue;
            Optional<String> problem = ImageReference.problem(pinned);
            if (problem.isPresent()) {
                throw new DockerfileException("invalid pinned image \"" + pinned + "\": " + problem.get());
            }
            edits.addAll(base.getKey().instruction().replace(base.getKey().image(), pinned));
        }
        return parse(parsed.source().apply(edits).render());
    }

    /** Each FROM based on an image (not an earlier stage, not scratch), with its image as the builder reads it. */
    private static java.util.Map<FromInstruction, String> bases(ParsedDockerfile parsed,
                                                                 java.util.Map<String, String> buildArgs) {
        java.util.Map<String, String> args = new java.util.HashMap<>(parsed.argDefaults());
        buildArgs.forEach((name, value) -> {
            if (args.containsKey(name)) args.put(name, value); // only declared ARGs reach a FROM
        });
        java.util.Map<FromInstruction, String> out = new java.util.LinkedHashMap<>();
        List<String> earlier = new ArrayList<>();
        for (FromInstruction from : parsed.froms()) {
            String image = expand(from.imageName(), args);
            boolean fromStage = earlier.stream().anyMatch(name -> name.equalsIgnoreCase(image));
            if (!fromStage && !image.equalsIgnoreCase("scratch") && !image.isEmpty()) out.put(from, image);
            if (from.name() != null) earlier.add(from.name());
        }
        return out;
    }

    private static final java.util.regex.Pattern VARIABLE =
            java.util.regex.Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    private static String expand(String word, java.util.Map<String, String> args) {
        java.util.regex.Matcher m = VARIABLE.matcher(word);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = args.get(m.group(1) != null ? m.group(1) : m.group(2));
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The stage with this {@code AS} name, compared case-insensitively. */
    public Optional<Stage> stage(String name) {
        return stages.stream().filter(stage -> stage.name() != null && stage.name().equalsIgnoreCase(name))
                .findFirst();
    }

    /**
     * This Dockerfile with the base image of one stage replaced: the first FROM when {@code stageName} is null (the
     * stage SODALITE's image variants override), else the stage with that {@code AS} name (case-insensitive). Only
     * the image word of that FROM changes, including when it is a variable such as {@code ${BASE}}; its flags, its
     * name, every other line, comments and continuations stay as written, and stages referring to it by name keep
     * doing so.
     *
     * @throws DockerfileException when {@code newBase} is not a valid image reference, when no stage has that name,
     *     or when that stage is based on an earlier stage rather than on an image
     */
    public Dockerfile withBase(String stageName, String newBase) throws DockerfileException {
        Objects.requireNonNull(newBase, "newBase");
        Optional<String> problem = ImageReference.problem(newBase);
        if (problem.isPresent()) {
            throw new DockerfileException("invalid base image \"" + newBase + "\": " + problem.get());
        }
        ParsedDockerfile parsed = ParsedDockerfile.parse(text);
        FromInstruction target = parsed.target(stageName);
        List<Edit> edits = target.instruction().replace(target.image(), newBase);
        return parse(parsed.source().apply(edits).render());
    }

    /**
     * This Dockerfile with {@code flag} (such as a {@code --mount=} option) written right after the keyword of every
     * RUN instruction, before the instruction's own flags. Lines are otherwise kept as written.
     */
    public Dockerfile withRunFlag(String flag) throws DockerfileException {
        SourceText source = SourceText.of(text);
        List<Edit> edits = new ArrayList<>();
        for (Instruction instruction : InstructionReader.read(source).instructions()) {
            if (!instruction.keyword().equals("RUN")) continue;
            Segment first = instruction.segments().get(0);
            int at = first.column() + instruction.keywordEnd();
            edits.add(new Edit(first.line(), at, at, " " + flag));
        }
        return parse(source.apply(edits).render());
    }

    /**
     * This Dockerfile with {@code lines} (such as ARG declarations, which are scoped to a stage) added after every
     * FROM instruction, so that each stage has them.
     */
    public Dockerfile withLinesAfterEachFrom(List<String> lines) throws DockerfileException {
        ParsedDockerfile parsed = ParsedDockerfile.parse(text);
        List<Edit> edits = new ArrayList<>();
        StringBuilder added = new StringBuilder();
        lines.forEach(line -> added.append('\n').append(line));
        for (FromInstruction from : parsed.froms()) {
            List<Segment> segments = from.instruction().segments();
            int last = segments.get(segments.size() - 1).line();
            int end = parsed.source().lines().get(last).content().length();
            edits.add(new Edit(last, end, end, added.toString()));
        }
        return parse(parsed.source().apply(edits).render());
    }
}
