package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --name=value} words that open an instruction's arguments, read as BuildKit reads them: quotes group,
 * the escape character takes the next character literally, a lone {@code --} ends the flags, and the first word not
 * starting with {@code --} is where the arguments begin.
 *
 * @param words the flags with quotes and escapes resolved, each still starting with {@code --}
 * @param argumentsStart where the arguments begin in the instruction text
 */
record Flags(List<String> words, int argumentsStart) {

    Flags {
        words = List.copyOf(words);
    }

    static Flags extract(String text, int from, char escape) {
        List<String> words = new ArrayList<>();
        int pos = Words.skipSpace(text, from);
        while (pos + 1 < text.length() && text.charAt(pos) == '-' && text.charAt(pos + 1) == '-') {
            StringBuilder word = new StringBuilder();
            boolean quotedEmpty = false;
            char quote = 0;
            while (pos < text.length() && (quote != 0 || !Words.isSpace(text.charAt(pos)))) {
                char c = text.charAt(pos++);
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                    quotedEmpty = true;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else if (c == escape) {
                    if (pos < text.length()) word.append(text.charAt(pos++));
                } else {
                    word.append(c);
                }
            }
            if (word.toString().equals("--")) {
                return new Flags(words, pos);
            }
            if (quotedEmpty || word.length() > 0) words.add(word.toString());
            pos = Words.skipSpace(text, pos);
        }
        return new Flags(words, pos);
    }
}
