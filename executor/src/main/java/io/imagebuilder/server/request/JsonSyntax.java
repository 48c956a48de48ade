package io.imagebuilder.server.request;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON syntax error of a request body, said in plain words at its line and column. The parser's own messages
 * name its classes and settings, which mean nothing to an API client.
 */
final class JsonSyntax {

    private static final String VALUE = "a value (a string, number, object, array, true, false or null)";
    private static final int MAX_FOUND = 40;

    private record Rule(Pattern pattern, Function<Matcher, String> message) {
        static Rule of(String regex, Function<Matcher, String> message) {
            return new Rule(Pattern.compile(regex, Pattern.DOTALL), message);
        }
    }

    private static final List<Rule> RULES = List.of(
            Rule.of("^Duplicate field '(.*)'", m -> "the key \"" + m.group(1) + "\" appears twice in one object"),
            Rule.of("^Trailing token", m -> "more data follows the end of the JSON document"),
            Rule.of("end-of-input", m -> "the document ends before its last object or array is closed"),
            Rule.of("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\): was expecting double-quote to start field "
                    + "name", m -> "expected a key in double quotes, found " + found(m.group(1))),
            Rule.of("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\): was expecting a colon", m ->
                    "expected ':' after the key, found " + found(m.group(1))),
            Rule.of("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\): was expecting comma to separate Object",
                    m -> "expected ',' or '}' after a value of the object, found " + found(m.group(1))),
            Rule.of("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\): was expecting comma to separate Array",
                    m -> "expected ',' or ']' after a value of the array, found " + found(m.group(1))),
            Rule.of("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\): expected a (valid )?value", m ->
                    "expected " + VALUE + ", found " + found(m.group(1))),
            Rule.of("^Unrecognized token '(.*?)'", m -> "expected " + VALUE + ", found " + found(m.group(1))),
            Rule.of("^Unexpected close marker '(.)'", m -> found(m.group(1)) + " closes no object or array open "
                    + "here"),
            Rule.of("^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)", m -> "a control character "
                    + "(code " + m.group(1) + ") inside a string must be escaped"),
            Rule.of("UTF-8|UTF8", m -> "the body is not valid UTF-8 text"),
            Rule.of("numeric value|[Nn]umber|NaN|Infinity", m -> "not a valid JSON number"),
            Rule.of("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\)", m -> "unexpected " + found(m.group(1))));

    private JsonSyntax() {
    }

    /** The error as a problem entry at the root of the request, with the place the parser stopped at. */
    static ApiProblem.FieldError error(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        int line = at == null || at.getLineNr() < 1 ? 0 : at.getLineNr();
        int column = line == 0 ? 0 : at.getColumnNr();
        return new ApiProblem.FieldError("$", line, column, message(e.getOriginalMessage()));
    }

    static String message(String parserMessage) {
        String text = parserMessage == null ? "" : parserMessage;
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(text);
            if (m.find()) return r.message().apply(m);
        }
        return "not valid JSON";
    }

    private static String found(String text) {
        String shown = text.length() > MAX_FOUND ? text.substring(0, MAX_FOUND) + "..." : text;
        return "'" + shown + "'";
    }
}
