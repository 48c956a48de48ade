package io.imagebuilder.imagebuild.dockerfile;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser directives at the very top of a Dockerfile ({@code # syntax=...}, {@code # escape=...}). As in
 * BuildKit, the first line that is not a known directive (an instruction, an empty line, any other comment) ends
 * them: a directive-looking comment after it is an ordinary comment. Only the escape character matters here.
 */
final class Directives {

    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*");
    private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");

    private final Set<String> seen = new HashSet<>();
    private boolean done;
    private char escape = '\\';

    /** Looks at one top-level line, with its leading whitespace removed. */
    void offer(String line, int lineNumber) throws DockerfileException {
        if (done) return;
        Matcher matcher = DIRECTIVE.matcher(line);
        String key = matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
        if (key == null || !KNOWN.contains(key)) {
            done = true;
            return;
        }
        if (!seen.add(key)) {
            throw new DockerfileException(lineNumber, "only one " + key + " parser directive can be used");
        }
        if (key.equals("escape")) {
            escape = escapeCharacter(matcher.group(2), lineNumber);
        }
    }

    char escape() {
        return escape;
    }

    private static char escapeCharacter(String value, int lineNumber) throws DockerfileException {
        if (!value.equals("\\") && !value.equals("`")) {
            throw new DockerfileException(lineNumber,
                    "invalid escape character \"" + value + "\" in the escape parser directive (must be \\ or `)");
        }
        return value.charAt(0);
    }
}
