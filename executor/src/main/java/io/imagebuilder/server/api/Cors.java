package io.imagebuilder.server.api;

import io.javalin.http.Context;

import java.util.List;
import java.util.Set;

/**
 * Cross-origin access for browser clients of the origins the operator named (--cors-origin). Any other origin gets
 * no CORS header at all, so the browser keeps its answers from the page.
 */
final class Cors {

    static final String ALLOWED_HEADERS = "X-API-Key, Authorization, Content-Type, Idempotency-Key, If-None-Match, "
            + "Last-Event-ID";
    static final String EXPOSED_HEADERS = "ETag, Link, Location";
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;

    Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** Marks every answer of an allowed origin as readable by it; answers vary with Origin once CORS is on. */
    void decorate(Context ctx) {
        if (origins.isEmpty()) return;
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin)) return;
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }

    /**
     * OPTIONS on a path: for a preflight of an allowed origin, what it may send; otherwise only the path's
     * methods (RFC 9110 9.3.7). Needs no key: browsers send preflights without credentials.
     */
    void options(Context ctx, String allowedMethods) {
        ctx.header("Allow", allowedMethods);
        String origin = ctx.header("Origin");
        if (origin != null && origins.contains(origin) && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", allowedMethods);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
        }
        ctx.status(204);
    }
}
