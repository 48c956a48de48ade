package io.imagebuilder.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.server.ApiKeys;
import io.imagebuilder.server.SecretBox;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.TokenIntrospection;
import io.imagebuilder.server.db.Database;
import io.imagebuilder.server.db.DeliveryStore;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.hooks.JobEvents;
import io.imagebuilder.server.hooks.WebhookSender;
import io.imagebuilder.server.jobs.JobRemoval;
import io.imagebuilder.server.jobs.RequestFiles;
import io.imagebuilder.server.jobs.Retention;
import io.imagebuilder.server.jobs.Workers;
import io.imagebuilder.server.request.ApiProblem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** The REST API server: HTTP endpoints over the jobs database, and the workers that run the builds. */
public final class ApiServer implements AutoCloseable {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final String OWNER = "owner";
    private static final String BEARER = "Bearer ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.time.Duration FOLLOWERS_WAIT = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration DELIVERIES_WAIT = java.time.Duration.ofSeconds(5);

    private final Database db;
    private final Workers workers;
    private final BuildsApi builds;
    private final Javalin app;
    private final List<Route> routes;
    private final WebhookSender sender;
    private final Retention retention;

    private ApiServer(Database db, Workers workers, BuildsApi builds, Javalin app, List<Route> routes,
                      WebhookSender sender, Retention retention) {
        this.db = db;
        this.workers = workers;
        this.builds = builds;
        this.app = app;
        this.routes = routes;
        this.sender = sender;
        this.retention = retention;
    }

    public static ApiServer start(ServerConfig config) {
        return start(config, null);
    }

    /** @param introspection where bearer tokens are checked, or null to accept API keys only */
    public static ApiServer start(ServerConfig config, TokenIntrospection introspection) {
        prepareStateDir(config.stateDir());
        ApiKeys keys = ApiKeys.parse(config.apiKeysFile());
        SecretBox box = SecretBox.open(config.secretKeyFile());
        Database db = Database.open(config.jdbcUrl(), config.dbUser(), config.dbPassword(),
                Math.max(4, config.workers() + 8));
        try {
            JobStore store = new JobStore(db);
            DeliveryStore deliveryStore = new DeliveryStore(db);
            // without webhooks there is nothing to send; pending deliveries wait for a server that has them
            WebhookSender sender = config.webhooks().endpoints().isEmpty() ? null
                    : new WebhookSender(config.webhooks(), deliveryStore);
            JobEvents events = new JobEvents(config.webhooks(), store, deliveryStore,
                    sender == null ? () -> { } : sender::wake);
            // one for the whole server: its builds share the hosts' build slots, whichever job runs them
            SharedHosts shared = SharedHosts.create();
            ImageBuilder facade = new ImageBuilder(Path.of(""), shared).keepingTemplates();
            Workers workers = new Workers(config, store, box, facade, events);
            JobRemoval removal = new JobRemoval(config, store, shared);
            Retention retention = config.retention() == null ? null
                    : new Retention(config.retention(), store, removal);
            BuildsApi builds = new BuildsApi(config, store, box, facade, workers, events, removal);
            DeploymentsApi deployments = new DeploymentsApi(config, store, box, facade, workers, builds,
                    events);
            DeliveriesApi deliveries = new DeliveriesApi(store, deliveryStore);
            HostsApi hosts = new HostsApi(new HostProbes(config.buildHost(), shared.clients()), store,
                    shared.slots().units());
            List<Route> routes = List.of(
                    Route.open(HandlerType.GET, "/health", ctx -> health(ctx, db)),
                    Route.open(HandlerType.GET, "/openapi.yaml", ApiServer::openApi),
                    Route.of(HandlerType.POST, "/builds", builds::submit),
                    Route.of(HandlerType.GET, "/builds", builds::list),
                    Route.of(HandlerType.GET, "/builds/{id}", builds::get),
                    Route.of(HandlerType.DELETE, "/builds/{id}", builds::cancel),
                    Route.of(HandlerType.GET, "/builds/{id}/log", builds::log),
                    Route.of(HandlerType.GET, "/builds/{id}/lock", builds::lock),
                    Route.of(HandlerType.GET, "/builds/{id}/deliveries", deliveries::ofBuild),
                    Route.of(HandlerType.POST, "/deployments", deployments::submit),
                    Route.of(HandlerType.GET, "/deployments", deployments::list),
                    Route.of(HandlerType.GET, "/deployments/{id}", deployments::get),
                    Route.of(HandlerType.DELETE, "/deployments/{id}", deployments::delete),
                    Route.of(HandlerType.GET, "/deployments/{id}/log", deployments::log),
                    Route.of(HandlerType.GET, "/deployments/{id}/deliveries", deliveries::ofDeployment),
                    Route.of(HandlerType.GET, "/hosts", hosts::list));
            Javalin app = Javalin.create(c -> {
                c.showJavalinBanner = false;
                c.http.prefer405over404 = true;
                c.http.maxRequestSize = config.maxBodyBytes();
                c.startupWatcherEnabled = false;
            });
            Cors cors = new Cors(config.corsOrigins());
            app.before(cors::decorate);
            app.beforeMatched(ctx -> authenticate(ctx, keys, introspection, routes));
            for (String path : routes.stream().map(Route::path).distinct().toList()) {
                app.addHttpHandler(HandlerType.OPTIONS, path, ctx -> cors.options(ctx, Route.allowed(routes,
                        ctx.path())));
            }
            for (Route r : routes) {
                app.addHttpHandler(r.method(), r.path(), r.handler());
                // HEAD answers what GET would, without the body
                if (r.method() == HandlerType.GET) app.addHttpHandler(HandlerType.HEAD, r.path(), r.handler());
            }
            Dashboard.register(app);
            app.exception(ApiProblem.class, (e, ctx) -> problem(ctx, e));
            app.exception(HttpResponseException.class, (e, ctx) ->
                    problem(ctx, ApiProblem.of(e.getStatus(), title(e.getStatus()), e.getMessage())));
            app.exception(Exception.class, (e, ctx) -> problem(ctx, ApiProblem.of(500, "Internal Server Error",
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            app.error(404, ctx -> plainError(ctx, "no such endpoint: " + ctx.method() + " " + ctx.path()));
            app.error(405, ctx -> {
                ctx.header("Allow", Route.allowed(routes, ctx.path()));
                plainError(ctx, ctx.method() + " is not allowed on " + ctx.path());
            });
            if (sender != null) sender.start();
            workers.start();
            if (retention != null) retention.start();
            builds.warmUp();
            app.start(config.host(), config.port());
            askHealth(config.host(), app.port());
            return new ApiServer(db, workers, builds, app, routes, sender, retention);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Asks the new server for its health once, before it is announced: Jetty and Javalin set much up on their first
     * request (tens of milliseconds), which would otherwise fall on the first client. Any failure is left to show
     * on real requests.
     */
    private static void askHealth(String host, int port) {
        String to = host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        try (Socket socket = new Socket(to, port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: " + to + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes();
        } catch (IOException e) {
            // not reachable from here (a firewall, an address of another machine): clients will tell
        }
    }

    /** The state directory is private: it holds the database, the secret key and requests being checked. */
    private static void prepareStateDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            // a server killed while checking or running a deployment leaves request files behind; they hold secrets
            RequestFiles.delete(dir.resolve("incoming"));
            Path jobs = dir.resolve("jobs");
            if (Files.isDirectory(jobs)) {
                try (Stream<Path> s = Files.list(jobs)) {
                    s.forEach(j -> RequestFiles.delete(j.resolve(RequestFiles.NAME)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void authenticate(Context ctx, ApiKeys keys, TokenIntrospection introspection,
                                     List<Route> routes) {
        if (ctx.method() == HandlerType.OPTIONS || Dashboard.serves(ctx.endpointHandlerPath())) return;
        boolean open = routes.stream().anyMatch(r -> r.open() && r.path().equals(ctx.endpointHandlerPath()));
        if (open) return;
        String authorization = ctx.header("Authorization");
        if (introspection != null && authorization != null && authorization.regionMatches(true, 0, BEARER, 0,
                BEARER.length())) {
            String owner = introspection.owner(authorization.substring(BEARER.length()).strip())
                    .orElseThrow(() -> unauthorized(ctx, introspection, "the bearer token is not active"));
            ctx.attribute(OWNER, owner);
            return;
        }
        String owner = keys.owner(ctx.header("X-API-Key")).orElseThrow(() -> unauthorized(ctx, introspection,
                introspection == null ? "a valid X-API-Key header is required"
                        : "a valid X-API-Key header or an active bearer token is required"));
        ctx.attribute(OWNER, owner);
    }

    /** A 401 that names the accepted schemes (RFC 9110 11.6.1): the API key header, and bearer tokens if known. */
    private static ApiProblem unauthorized(Context ctx, TokenIntrospection introspection, String detail) {
        ctx.header("WWW-Authenticate", "ApiKey header=\"X-API-Key\""
                + (introspection == null ? "" : ", Bearer realm=\"image-builder\""));
        return ApiProblem.of(401, "Unauthorized", detail);
    }

    static String owner(Context ctx) {
        return Objects.requireNonNull(ctx.attribute(OWNER), "no authenticated owner");
    }

    private static void health(Context ctx, Database db) {
        boolean up = db.reachable();
        ctx.status(up ? 200 : 503);
        json(ctx, Map.of("status", up ? "ok" : "unavailable", "database", up ? "reachable" : "unreachable"));
    }

    private static void openApi(Context ctx) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream("/server/openapi.yaml")) {
            ctx.contentType("application/yaml").result(Objects.requireNonNull(in, "openapi.yaml").readAllBytes());
        }
    }

    static void json(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON answer of a GET that clients may revalidate with If-None-Match. */
    static void cacheableJson(Context ctx, Object body) {
        try {
            Conditional.answer(ctx, JSON.writeValueAsBytes(body), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(Context ctx, ApiProblem p) {
        ctx.status(p.status());
        try {
            ctx.contentType(PROBLEM_JSON).result(JSON.writeValueAsString(p.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Javalin's own 404 and 405 answers, as problems (unless a handler already answered with one). */
    private static void plainError(Context ctx, String detail) {
        String type = ctx.res().getContentType();
        if (type != null && type.startsWith(PROBLEM_JSON)) return;
        problem(ctx, ApiProblem.of(ctx.statusCode(), title(ctx.statusCode()), detail));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            default -> "Error " + status;
        };
    }

    public int port() {
        return app.port();
    }

    public List<Route> routes() {
        return routes;
    }

    public Database database() {
        return db;
    }

    /**
     * Stops removing old jobs, then the workers (running builds fail as interrupted, with a last log line, while
     * the database is still open), gives the webhooks of those failures a moment to go out, then ends the log
     * streams being followed, then stops answering requests.
     */
    @Override
    public void close() {
        if (retention != null) retention.close();
        workers.close();
        if (sender != null) {
            sender.drain(DELIVERIES_WAIT);
            sender.close();
        }
        builds.stopFollowing(FOLLOWERS_WAIT);
        app.stop();
        db.close();
    }
}
