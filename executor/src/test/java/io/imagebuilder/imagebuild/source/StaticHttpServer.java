package io.imagebuilder.imagebuild.source;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 serving a directory as static files, optionally behind basic auth. Static
 * files are all git's "dumb" HTTP protocol needs, once {@code git update-server-info} has run.
 */
final class StaticHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final Path root;
    private final List<String> requests = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);

    private StaticHttpServer(HttpServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    /** @param user null for no authentication */
    static StaticHttpServer start(Path root, String user, String password) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StaticHttpServer s = new StaticHttpServer(server, root);
        server.setExecutor(s.executor);
        HttpContext files = server.createContext("/", s::serveFile);
        if (user != null) {
            files.setAuthenticator(new BasicAuthenticator("test") {
                @Override
                public boolean checkCredentials(String u, String p) {
                    return user.equals(u) && password.equals(p);
                }
            });
        }
        server.start();
        return s;
    }

    /** Answers requests under {@code path} with a redirect to {@code location}. */
    StaticHttpServer redirect(String path, String location) {
        server.createContext(path, exchange -> {
            record(exchange);
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        return this;
    }

    /** Answers requests under {@code path} with a few bytes of a body that then never ends. */
    StaticHttpServer stall(String path) {
        server.createContext(path, exchange -> {
            record(exchange);
            try (exchange) {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("FROM sta".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + "/" + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private synchronized void record(HttpExchange exchange) {
        requests.add(exchange.getRequestURI().getPath());
    }

    private void serveFile(HttpExchange exchange) throws IOException {
        record(exchange);
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            // "?chunked" leaves out the Content-Length, as streaming servers do
            boolean chunked = "chunked".equals(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(200, chunked ? 0 : body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
