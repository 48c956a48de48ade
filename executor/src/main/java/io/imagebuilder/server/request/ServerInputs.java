package io.imagebuilder.server.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.imagenode.BuildHostInputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The inputs of the bundled blueprints that name the build hosts or files of the server's machine, or bound what a
 * build may fetch: the server sets them from its own options. An inputs file carries them beside build_params (as the convert command writes it);
 * a build request may too, and has them ignored.
 */
public final class ServerInputs {

    public static final Set<String> NAMES = BuildHostInputs.NAMES;

    private ServerInputs() {
    }

    /** The server inputs among the fields of {@code object}, in the order they are written. */
    static List<String> in(JsonNode object) {
        List<String> found = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (NAMES.contains(name)) found.add(name);
        });
        return found;
    }

    /** What a client is told when its request names the build hosts; empty when it does not. */
    public static List<String> warnings(List<String> ignored) {
        if (ignored.isEmpty()) return List.of();
        return List.of("the server's build hosts are used; " + String.join(", ", ignored) + " ignored");
    }

    /**
     * The body with the top-level fields {@code names} blanked out: replaced by spaces (line breaks kept), their
     * separating comma too, so that every other field stays at its line and column for the messages of the checks.
     */
    static byte[] blanked(byte[] body, List<String> names) {
        if (names.isEmpty()) return body;
        String text = new String(body, StandardCharsets.UTF_8);
        char[] out = text.toCharArray();
        try (JsonParser p = Submission.JSON.getFactory().createParser(text)) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                boolean blank = names.contains(p.currentName());
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.nextToken();
                p.skipChildren();
                p.finishToken();
                int end = (int) p.currentLocation().getCharOffset();
                if (blank) blank(out, start, end);
            }
            if (t != JsonToken.END_OBJECT) throw new IllegalStateException("expected the end of the request object");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the request again: " + e.getMessage(), e);
        }
        return new String(out).getBytes(StandardCharsets.UTF_8);
    }

    /** Blanks [start, end) and the comma after it, or else the comma before it (the field was the last one). */
    private static void blank(char[] out, int start, int end) {
        int after = end;
        while (after < out.length && Character.isWhitespace(out[after])) after++;
        if (after < out.length && out[after] == ',') {
            end = after + 1;
        } else {
            int before = start - 1;
            while (before >= 0 && Character.isWhitespace(out[before])) before--;
            if (before >= 0 && out[before] == ',') start = before;
        }
        for (int i = start; i < end; i++) {
            if (out[i] != '\n' && out[i] != '\r') out[i] = ' ';
        }
    }
}
