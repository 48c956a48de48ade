package io.imagebuilder.server.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/** One endpoint; {@code open} ones need no API key. The list of routes is what the OpenAPI document must cover. */
public record Route(HandlerType method, String path, boolean open, Handler handler) {

    public static Route of(HandlerType method, String path, Handler handler) {
        return new Route(method, path, false, handler);
    }

    public static Route open(HandlerType method, String path, Handler handler) {
        return new Route(method, path, true, handler);
    }
}
