package io.imagebuilder.server.api;

import io.javalin.http.Context;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Conditional GET (RFC 9110 13.1.2): a strong ETag of the answer's bytes, and 304 without a body when the client
 * already holds them. A job changes while it runs, so clients must revalidate every time (no-cache); answers are
 * per key, so no shared cache may keep them (private).
 */
final class Conditional {

    private Conditional() {
    }

    static void answer(Context ctx, byte[] body, String contentType) {
        String etag = etag(body);
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "private, no-cache");
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(contentType).result(body);
    }

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x"; * matches any current answer. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) return true;
            if (c.startsWith("W/")) c = c.substring(2);
            if (c.equals(etag)) return true;
        }
        return false;
    }
}
