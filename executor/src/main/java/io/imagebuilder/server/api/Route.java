package io.imagebuilder.server.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One endpoint; {@code open} ones need no API key. The list of routes is what the OpenAPI document must cover. */
public record Route(HandlerType method, String path, boolean open, Handler handler) {

    /** Whether a request path is one of this route's, such as /builds/abc for /builds/{id}. */
    boolean matches(String requestPath) {
        return requestPath.matches(path.replaceAll("\\{[^/}]+}", "[^/]+"));
    }

    /** The methods a request path answers to, for an Allow header; HEAD wherever GET is, and OPTIONS. */
    static String allowed(List<Route> routes, String requestPath) {
        Set<String> methods = new LinkedHashSet<>();
        for (Route r : routes) {
            if (!r.matches(requestPath)) continue;
            methods.add(r.method().name());
            if (r.method() == HandlerType.GET) methods.add(HandlerType.HEAD.name());
        }
        if (!methods.isEmpty()) methods.add(HandlerType.OPTIONS.name());
        return String.join(", ", methods);
    }

    public static Route of(HandlerType method, String path, Handler handler) {
        return new Route(method, path, false, handler);
    }

    public static Route open(HandlerType method, String path, Handler handler) {
        return new Route(method, path, true, handler);
    }
}
