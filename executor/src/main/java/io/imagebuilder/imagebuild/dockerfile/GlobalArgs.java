package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;

/** The names an ARG instruction declares: {@code ARG <name>[=<default>] ...}, values possibly quoted. */
final class GlobalArgs {

    private GlobalArgs() {
    }

    static List<String> names(Instruction instruction, char escape) throws DockerfileException {
        List<Word> words = Words.shellWords(instruction.text(), instruction.keywordEnd(), escape);
        if (words.isEmpty()) {
            throw new DockerfileException(instruction.lineNumber(), "ARG requires at least one argument");
        }
        List<String> names = new ArrayList<>();
        for (Word word : words) {
            int equals = word.text().indexOf('=');
            String name = equals < 0 ? word.text() : word.text().substring(0, equals);
            if (name.isEmpty()) {
                throw new DockerfileException(instruction.lineNumber(),
                        "ARG needs a name before '=', got \"" + word.text() + "\"");
            }
            names.add(name);
        }
        return names;
    }

    /** Each declared name and its default (quotes removed), or null for an ARG without one. */
    static java.util.Map<String, String> defaults(Instruction instruction, char escape) throws DockerfileException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        List<String> names = names(instruction, escape);
        List<Word> words = Words.shellWords(instruction.text(), instruction.keywordEnd(), escape);
        for (int i = 0; i < words.size(); i++) {
            String text = words.get(i).text();
            int equals = text.indexOf('=');
            out.put(names.get(i), equals < 0 ? null : unquote(text.substring(equals + 1)));
        }
        return out;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }
}
