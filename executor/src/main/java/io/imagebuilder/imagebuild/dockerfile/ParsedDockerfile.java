package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the parser learns about a Dockerfile, down to where each FROM's image is written. {@link Dockerfile}
 * keeps only the text and what callers need; this is rebuilt from the text when an edit needs the positions.
 */
record ParsedDockerfile(SourceText source, List<FromInstruction> froms, List<String> globalArgs,
                        java.util.Map<String, String> argDefaults) {

    ParsedDockerfile {
        froms = List.copyOf(froms);
        globalArgs = List.copyOf(globalArgs);
        argDefaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(argDefaults));
    }

    static ParsedDockerfile parse(String text) throws DockerfileException {
        SourceText source = SourceText.of(text);
        InstructionReader.Result read = InstructionReader.read(source);
        List<FromInstruction> froms = new ArrayList<>();
        Set<String> globalArgs = new LinkedHashSet<>();
        java.util.Map<String, String> defaults = new java.util.LinkedHashMap<>();
        for (Instruction instruction : read.instructions()) {
            String keyword = instruction.keyword();
            if (keyword.equals("FROM")) {
                FromInstruction from = FromInstruction.parse(instruction, read.escape());
                requireUniqueName(from, froms);
                froms.add(from);
            } else if (froms.isEmpty() && keyword.equals("ARG")) {
                globalArgs.addAll(GlobalArgs.names(instruction, read.escape()));
                GlobalArgs.defaults(instruction, read.escape()).forEach((name, value) -> {
                    if (value != null || !defaults.containsKey(name)) defaults.put(name, value);
                });
            } else if (froms.isEmpty()) {
                throw new DockerfileException(instruction.lineNumber(),
                        "the first instruction must be FROM (or ARG before it), got " + keyword);
            }
        }
        if (froms.isEmpty()) {
            throw new DockerfileException("the Dockerfile has no FROM instruction");
        }
        return new ParsedDockerfile(source, froms, new ArrayList<>(globalArgs), defaults);
    }

    private static void requireUniqueName(FromInstruction from, List<FromInstruction> earlier)
            throws DockerfileException {
        if (from.name() == null) return;
        for (FromInstruction other : earlier) {
            if (other.hasName(from.name())) {
                throw new DockerfileException(from.instruction().lineNumber(), "duplicate stage name \""
                        + from.name() + "\" (also on line " + other.instruction().lineNumber() + ")");
            }
        }
    }

    /**
     * The FROM of the stage to override: the first one when {@code stageName} is null, else the one named so. A
     * stage based on an earlier stage is refused: replacing that reference would silently cut the stage off from
     * the one it builds on.
     */
    FromInstruction target(String stageName) throws DockerfileException {
        FromInstruction target = stageName == null ? froms.get(0) : named(stageName);
        for (FromInstruction earlier : froms.subList(0, froms.indexOf(target))) {
            if (earlier.hasName(target.imageName())) {
                throw new DockerfileException(target.instruction().lineNumber(), "stage \"" + target.name()
                        + "\" is based on stage \"" + earlier.name() + "\", not on an image; override stage \""
                        + earlier.name() + "\" instead");
            }
        }
        return target;
    }

    private FromInstruction named(String stageName) throws DockerfileException {
        List<String> names = new ArrayList<>();
        for (FromInstruction from : froms) {
            if (from.hasName(stageName)) return from;
            if (from.name() != null) names.add(from.name());
        }
        throw new DockerfileException("no stage named \"" + stageName + "\""
                + (names.isEmpty() ? "; no stage has a name" : "; the stages are named " + String.join(", ", names)));
    }
}
