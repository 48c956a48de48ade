package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.Cancellation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * GET requests to a Docker engine's HTTP API over a unix socket: the engine's own, or one forwarded from a build
 * host. For the cheap questions (the engine's version) this costs a socket round trip where a docker client
 * process costs tens of milliseconds to start.
 */
public final class EngineApi {

    /** Far more than any answer asked for here; a bound against an endpoint that never stops talking. */
    private static final int MAX_BYTES = 1 << 20;
    private static final long POLL_MILLIS = 100;

    /** An answer: its HTTP status and body. */
    public record Response(int status, String body) {
    }

    /** Why no answer came: the socket cannot be reached, it closed without one, or it was not an HTTP answer. */
    public static final class NoAnswerException extends IOException {
        NoAnswerException(String message) {
            super(message);
        }
    }

    /** No answer within the time allowed. */
    public static final class TimedOutException extends IOException {
        TimedOutException(Duration timeout) {
            super("no answer within " + timeout.toSeconds() + " s");
        }
    }

    /** The run was cancelled while waiting. */
    public static final class CancelledException extends IOException {
        CancelledException() {
            super("cancelled");
        }
    }

    private EngineApi() {
    }

    /** GETs {@code path} (such as {@code /version}) from the engine listening on {@code socket}. */
    public static Response get(Path socket, String path, Duration timeout, Cancellation cancellation)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new NoAnswerException("cannot connect to the engine's socket: " + e.getMessage());
            }
            // HTTP/1.0: the engine closes the connection after its answer, which ends it without chunking
            ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) channel.write(request);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (true) {
                if (cancellation != null && cancellation.isCancelled()) throw new CancelledException();
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimedOutException(timeout);
                selector.select(Math.max(1, Math.min(left / 1_000_000, POLL_MILLIS)));
                selector.selectedKeys().clear();
                int n = channel.read(buffer);
                if (n < 0) break;
                received.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (received.size() > MAX_BYTES) throw new NoAnswerException("the answer is over 1 MiB");
            }
            return parse(received.toByteArray());
        }
    }

    /** An HTTP/1.x answer read to its end: status line, headers, and the body (chunked or not). */
    static Response parse(byte[] raw) throws NoAnswerException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            throw new NoAnswerException("the connection was closed (is the Docker daemon running on the host?)");
        }
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) throw new NoAnswerException("not an HTTP answer");
        String[] head = text.substring(0, end).split("\r\n");
        String[] status = head[0].split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(status.length > 1 ? status[1] : "");
        } catch (NumberFormatException e) {
            throw new NoAnswerException("not an HTTP answer: " + head[0]);
        }
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            String h = head[i].toLowerCase(Locale.ROOT);
            if (h.startsWith("transfer-encoding:") && h.contains("chunked")) chunked = true;
        }
        String body = text.substring(end + 4);
        return new Response(code, new String((chunked ? unchunk(body) : body).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8));
    }

    private static String unchunk(String body) throws NoAnswerException {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int line = body.indexOf("\r\n", at);
            if (line < 0) throw new NoAnswerException("the answer ended inside a chunk");
            int size;
            try {
                size = Integer.parseInt(body.substring(at, line).split(";", 2)[0].trim(), 16);
            } catch (NumberFormatException e) {
                throw new NoAnswerException("the answer's chunks are malformed");
            }
            if (size == 0) return out.toString();
            int start = line + 2;
            if (start + size > body.length()) throw new NoAnswerException("the answer ended inside a chunk");
            out.append(body, start, start + size);
            at = start + size + 2;
        }
    }
}
