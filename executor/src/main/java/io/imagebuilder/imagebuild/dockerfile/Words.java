package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;

/** Splits instruction text into words the way BuildKit does for the instructions this package reads. */
final class Words {

    private Words() {
    }

    /** Go's {@code unicode.IsSpace}, which BuildKit uses to trim lines and to find flags. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    static int wordEnd(String text, int from) {
        int i = from;
        while (i < text.length() && !isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The whitespace-separated words of {@code text} from {@code from} on; no quoting, as for FROM's arguments. */
    static List<Word> split(String text, int from) {
        List<Word> words = new ArrayList<>();
        int start = skipSpace(text, from);
        while (start < text.length()) {
            int end = wordEnd(text, start);
            words.add(new Word(text.substring(start, end), start, end));
            start = skipSpace(text, end);
        }
        return words;
    }

    /**
     * Shell-like words from {@code from} on: whitespace inside single or double quotes, or after the escape
     * character, does not split. Quotes and escapes are kept as written; callers only need the word boundaries.
     */
    static List<Word> shellWords(String text, int from, char escape) {
        List<Word> words = new ArrayList<>();
        int i = skipSpace(text, from);
        while (i < text.length()) {
            int start = i;
            char quote = 0;
            while (i < text.length() && (quote != 0 || !isSpace(text.charAt(i)))) {
                char c = text.charAt(i);
                if (c == escape && quote != '\'' && i + 1 < text.length()) {
                    i += 2;
                    continue;
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                }
                i++;
            }
            words.add(new Word(text.substring(start, i), start, i));
            i = skipSpace(text, i);
        }
        return words;
    }
}
