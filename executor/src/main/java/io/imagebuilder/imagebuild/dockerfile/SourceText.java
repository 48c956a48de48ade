package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The text of a Dockerfile as physical lines, so that it can be analysed line by line and rebuilt exactly. A UTF-8
 * byte-order mark is kept aside: BuildKit ignores it, but the rebuilt text must still carry it.
 */
record SourceText(String byteOrderMark, List<SourceLine> lines) {

    private static final String BOM = "\uFEFF";

    SourceText {
        lines = List.copyOf(lines);
    }

    static SourceText of(String text) {
        String bom = text.startsWith(BOM) ? BOM : "";
        String body = text.substring(bom.length());
        List<SourceLine> lines = new ArrayList<>();
        int start = 0;
        while (start < body.length()) {
            int newline = body.indexOf('\n', start);
            int next = newline < 0 ? body.length() : newline + 1;
            int contentEnd = newline < 0 ? body.length() : newline;
            // BuildKit trims every trailing \r and \n from a line, so carriage returns belong to the ending.
            while (contentEnd > start && body.charAt(contentEnd - 1) == '\r') {
                contentEnd--;
            }
            lines.add(new SourceLine(body.substring(start, contentEnd), body.substring(contentEnd, next)));
            start = next;
        }
        return new SourceText(bom, lines);
    }

    String render() {
        StringBuilder text = new StringBuilder(byteOrderMark);
        lines.forEach(line -> text.append(line.render()));
        return text.toString();
    }

    /** The text with the edits applied; edits must not overlap. */
    SourceText apply(List<Edit> edits) {
        List<SourceLine> edited = new ArrayList<>(lines);
        // From the end of each line backwards, so that an edit does not move the columns of those still to do.
        List<Edit> ordered = edits.stream()
                .sorted(Comparator.comparingInt(Edit::line).thenComparing(Edit::from, Comparator.reverseOrder()))
                .toList();
        for (Edit edit : ordered) {
            SourceLine line = edited.get(edit.line());
            String content = line.content();
            String changed = content.substring(0, edit.from()) + edit.replacement() + content.substring(edit.to());
            edited.set(edit.line(), new SourceLine(changed, line.ending()));
        }
        return new SourceText(byteOrderMark, edited);
    }
}
