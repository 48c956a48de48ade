package io.imagebuilder.server;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook receiver on a loopback port: it keeps every request it gets and answers each with the status its
 * path's rule gives for the number of times that delivery id has been seen (1 for the first attempt).
 */
final class Receiver implements AutoCloseable {

    /** One request as received: its path, headers (lower-case names) and exact body. */
    record Request(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer http;
    private final List<Request> received = new ArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();

    Receiver(Map<String, ToIntFunction<Integer>> rules) throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rules.forEach((path, rule) -> http.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    v.get(0)));
            int status;
            synchronized (this) {
                received.add(new Request(path, headers, body));
                int attempt = seen.merge(headers.getOrDefault("x-imagebuilder-delivery", ""), 1, Integer::sum);
                status = rule.applyAsInt(attempt);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }));
        http.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    synchronized List<Request> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code path} got {@code count} requests. */
    List<Request> await(String path, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received(path).size() < count) {
            assertThat(System.nanoTime()).as(path + " got " + received(path).size() + " of " + count + " requests")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        return received(path);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
