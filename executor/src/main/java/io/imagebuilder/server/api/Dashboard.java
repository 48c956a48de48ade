package io.imagebuilder.server.api;

import io.imagebuilder.server.request.ApiProblem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web dashboard: static files shipped in the jar, served at / without a key (the page asks for one, and
 * calls the API with it). The policy forbids inline scripts and styles and every origin but this server's, so
 * text from a build that ends up in the page cannot run.
 */
final class Dashboard {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final String ROOT = "/server/dashboard/";
    private static final String FILES = "/dashboard/<file>";
    /** Names only: no "..", no absolute paths, one level of folders at most. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)?\\.(js|mjs|css|html|png|svg)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");

    private Dashboard() {
    }

    static void register(Javalin app) {
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            app.addHttpHandler(method, "/", ctx -> send(ctx, "index.html"));
            app.addHttpHandler(method, FILES, ctx -> send(ctx, ctx.pathParam("file")));
        }
    }

    /** Whether a matched endpoint is the dashboard's, which needs no key. */
    static boolean serves(String endpointPath) {
        return endpointPath.equals("/") || endpointPath.equals(FILES);
    }

    private static void send(Context ctx, String name) throws IOException {
        if (!NAME.matcher(name).matches()) throw ApiProblem.notFound("dashboard file " + name);
        byte[] body;
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw ApiProblem.notFound("dashboard file " + name);
            body = in.readAllBytes();
        }
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1))).result(body);
    }
}
