package io.imagebuilder.problem;

/**
 * How messages show text the user wrote: control characters escaped, so that a value can neither end a line of the
 * output nor fake one, and long text cut short, so that one value cannot drown the message or the response.
 */
public final class Quote {

    /** How many characters of a value a message shows; the rest is summed up by the value's length. */
    static final int MAX_SHOWN = 80;

    private Quote() {
    }

    /** {@code "bad\ntag"}, or {@code "aaa"…(1048576 characters)} for a long value; quotes inside are escaped. */
    public static String of(String text) {
        return "\"" + escaped(start(text), true) + "\"" + rest(text);
    }

    /** As {@link #of} without the quotes, for text a message shows in a form of its own (such as a list). */
    public static String bare(String text) {
        return escaped(start(text), false) + rest(text);
    }

    /** The whole message with its control characters escaped: the last line of defence for every problem. */
    public static String controlsEscaped(String message) {
        for (int i = 0; i < message.length(); i++) {
            if (escape(message.charAt(i), false) != null) return escaped(message, false);
        }
        return message;
    }

    private static String start(String text) {
        if (text.length() <= MAX_SHOWN) return text;
        return text.substring(0, text.offsetByCodePoints(0, Math.min(MAX_SHOWN,
                text.codePointCount(0, text.length()))));
    }

    private static String rest(String text) {
        if (text.length() <= MAX_SHOWN) return "";
        int characters = text.codePointCount(0, text.length());
        return characters <= MAX_SHOWN ? "" : "…(" + characters + " characters)";
    }

    private static String escaped(String text, boolean quoted) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c, quoted);
            if (escape == null) out.append(c);
            else out.append(escape);
        }
        return out.toString();
    }

    /**
     * The escape for one character, or null when it is shown as it is. Besides C0 and C1 controls (ANSI escape
     * sequences start with one), line and paragraph separators end lines too, and format characters (bidirectional
     * overrides, zero-width spaces) can make text read differently from what it is.
     */
    private static String escape(char c, boolean quoted) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '"' -> quoted ? "\\\"" : null;
            case '\\' -> quoted ? "\\\\" : null;
            default -> {
                int type = Character.getType(c);
                boolean hidden = Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
                yield hidden ? String.format("\\u%04x", (int) c) : null;
            }
        };
    }
}
