package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One instruction as BuildKit sees it: its physical lines joined, with continuation characters, comment lines and
 * empty lines inside it left out. The segments remember where each piece of the joined text came from, so that a
 * word of it can be changed in place without touching anything around it.
 *
 * @param line 0-based index of the physical line the instruction starts on
 */
record Instruction(int line, String text, List<Segment> segments) {

    Instruction {
        segments = List.copyOf(segments);
    }

    static Instruction of(int line, List<Segment> segments) {
        StringBuilder text = new StringBuilder();
        segments.forEach(segment -> text.append(segment.text()));
        return new Instruction(line, text.toString(), segments);
    }

    /** 1-based, for messages. */
    int lineNumber() {
        return line + 1;
    }

    /** The instruction's keyword, upper-cased: keywords are case-insensitive. */
    String keyword() {
        int start = Words.skipSpace(text, 0);
        return text.substring(start, Words.wordEnd(text, start)).toUpperCase(Locale.ROOT);
    }

    /** The end of the keyword in {@link #text()}, where the instruction's flags and arguments begin. */
    int keywordEnd() {
        return Words.wordEnd(text, Words.skipSpace(text, 0));
    }

    /**
     * The edits that put {@code replacement} in place of {@code word}. A word split over continuation lines is
     * removed from all but its last line and written there: emptying the last line instead would leave a
     * continuation leading to an empty line, which BuildKit skips, joining the next instruction to this one.
     */
    List<Edit> replace(Word word, String replacement) {
        List<Edit> edits = new ArrayList<>();
        int segmentStart = 0;
        for (Segment segment : segments) {
            int segmentEnd = segmentStart + segment.text().length();
            int from = Math.max(word.start(), segmentStart);
            int to = Math.min(word.end(), segmentEnd);
            if (from < to) {
                edits.add(new Edit(segment.line(), segment.column() + from - segmentStart,
                        segment.column() + to - segmentStart, ""));
            }
            segmentStart = segmentEnd;
        }
        Edit last = edits.remove(edits.size() - 1);
        edits.add(new Edit(last.line(), last.from(), last.to(), replacement));
        return edits;
    }
}
