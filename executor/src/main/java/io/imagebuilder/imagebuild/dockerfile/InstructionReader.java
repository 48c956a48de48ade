package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns physical lines into instructions the way BuildKit's parser does: parser directives only at the top,
 * comment and empty lines skipped, lines ending in the escape character joined with the following ones (skipping
 * comment and empty lines among them), and here-document bodies kept with the instruction that opens them.
 */
final class InstructionReader {

    /** The instructions in order, and the escape character the directives chose. */
    record Result(List<Instruction> instructions, char escape) {

        Result {
            instructions = List.copyOf(instructions);
        }
    }

    /** The part of a line before its continuation character, and whether there was one. */
    private record Piece(String text, boolean continues) {
    }

    private InstructionReader() {
    }

    static Result read(SourceText source) throws DockerfileException {
        List<SourceLine> lines = source.lines();
        Directives directives = new Directives();
        List<Instruction> instructions = new ArrayList<>();
        int next = 0;
        while (next < lines.size()) {
            int start = next++;
            String content = lines.get(start).content();
            int indent = Words.skipSpace(content, 0);
            String trimmed = content.substring(indent);
            directives.offer(trimmed, start + 1);
            if (trimmed.isEmpty() || trimmed.charAt(0) == '#') continue;

            List<Segment> segments = new ArrayList<>();
            Piece piece = piece(trimmed, directives.escape());
            segments.add(new Segment(start, indent, piece.text()));
            while (piece.continues() && next < lines.size()) {
                int line = next++;
                String continuation = lines.get(line).content();
                // Continuation lines keep their leading whitespace: it is part of the joined text.
                if (isCommentOrEmpty(continuation)) continue;
                piece = piece(continuation, directives.escape());
                segments.add(new Segment(line, 0, piece.text()));
            }
            Instruction instruction = Instruction.of(start, segments);
            if (instruction.text().isBlank()) continue;
            instructions.add(instruction);
            next = skipHeredocBodies(instruction, lines, next, directives.escape());
        }
        return new Result(instructions, directives.escape());
    }

    private static boolean isCommentOrEmpty(String line) {
        int first = Words.skipSpace(line, 0);
        return first == line.length() || line.charAt(first) == '#';
    }

    /**
     * BuildKit's continuation rule: the escape character, followed only by spaces or tabs, ends the line, unless it
     * is itself escaped (preceded by another escape character).
     */
    private static Piece piece(String line, char escape) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        boolean continues = end > 0 && line.charAt(end - 1) == escape
                && (end == 1 || line.charAt(end - 2) != escape);
        return continues ? new Piece(line.substring(0, end - 1), true) : new Piece(line, false);
    }

    /**
     * Skips the bodies of the here-documents the instruction opens. A here-document without its terminator is left
     * alone (its lines read as instructions): BuildKit rejects it anyway, and refusing it here would gain nothing.
     */
    private static int skipHeredocBodies(Instruction instruction, List<SourceLine> lines, int next, char escape) {
        int position = next;
        for (Heredocs.Heredoc heredoc : Heredocs.in(instruction, escape)) {
            int end = position;
            while (end < lines.size() && !heredoc.endsAt(lines.get(end).content())) {
                end++;
            }
            if (end == lines.size()) return position;
            position = end + 1;
        }
        return position;
    }
}
