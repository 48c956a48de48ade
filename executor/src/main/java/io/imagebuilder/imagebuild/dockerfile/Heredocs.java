package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the here-documents ({@code <<EOF}) an instruction opens. Their content is not interpreted here; it is only
 * skipped, so that a body line such as {@code FROM alpine} (a Dockerfile written by a RUN) is not taken for an
 * instruction. Like BuildKit, only RUN, COPY and ADD in shell form (also behind ONBUILD) open here-documents.
 */
final class Heredocs {

    private static final Pattern MARKER = Pattern.compile("(\\d*)<<(-?)([^<]*)");
    private static final Set<String> OPENERS = Set.of("RUN", "COPY", "ADD");

    /** One here-document: its terminator, and whether leading tabs are stripped before comparing ({@code <<-}). */
    record Heredoc(String terminator, boolean chomp) {

        boolean endsAt(String line) {
            String candidate = chomp ? line.replaceFirst("^\\t+", "") : line;
            return candidate.equals(terminator);
        }
    }

    private Heredocs() {
    }

    static List<Heredoc> in(Instruction instruction, char escape) {
        String text = instruction.text();
        if (!text.contains("<<")) return List.of();
        int start = instruction.keywordEnd();
        String keyword = instruction.keyword();
        if (keyword.equals("ONBUILD")) {
            List<Word> trigger = Words.split(text, start);
            if (trigger.isEmpty()) return List.of();
            keyword = trigger.get(0).text().toUpperCase(Locale.ROOT);
            start = trigger.get(0).end();
        }
        if (!OPENERS.contains(keyword)) return List.of();
        int arguments = Flags.extract(text, start, escape).argumentsStart();
        String rest = text.substring(arguments).strip();
        if (rest.startsWith("[") && rest.endsWith("]")) return List.of();
        List<Heredoc> heredocs = new ArrayList<>();
        for (Word word : Words.shellWords(text, arguments, '\\')) {
            Matcher marker = MARKER.matcher(word.text());
            if (marker.matches() && !marker.group(3).isEmpty()) {
                heredocs.add(new Heredoc(marker.group(3).replace("\"", "").replace("'", ""),
                        marker.group(2).equals("-")));
            }
        }
        return heredocs;
    }
}
