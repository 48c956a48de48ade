package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.Cancellation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GET requests over a unix socket, against small servers on real sockets that answer as engines (or not). */
class EngineApiTest {

    @TempDir
    Path dir;

    /** Serves one connection on a fresh socket: reads the request, then does what {@code answer} does. */
    private Path serveOnce(Consumer<SocketChannel> answer) throws IOException {
        Path socket = dir.resolve("engine.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CompletableFuture.runAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer request = ByteBuffer.allocate(4096);
                while (!new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII)
                        .contains("\r\n\r\n")) {
                    if (c.read(request) < 0) return;
                }
                answer.accept(c);
            } catch (IOException e) {
                // the test sees what the client got
            }
        });
        return socket;
    }

    private static void write(SocketChannel c, String text) {
        try {
            c.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void readsAnAnswerThatEndsWithTheConnection() throws Exception {
        Path socket = serveOnce(c -> write(c, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
                + "{\"Version\":\"20.10.24\",\"Os\":\"linux\",\"Arch\":\"amd64\"}"));
        EngineApi.Response r = EngineApi.get(socket, "/version", Duration.ofSeconds(10), new Cancellation());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"Version\":\"20.10.24\",\"Os\":\"linux\",\"Arch\":\"amd64\"}");
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        Path socket = serveOnce(c -> write(c, "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "c\r\n{\"message\":\"\r\n6\r\nbroken\r\n2\r\n\"}\r\n0\r\n\r\n"));
        EngineApi.Response r = EngineApi.get(socket, "/version", Duration.ofSeconds(10), new Cancellation());
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"message\":\"broken\"}");
    }

    @Test
    void aSocketThatClosesWithoutAWordIsNoAnswer() throws Exception {
        Path socket = serveOnce(c -> { });
        assertThatThrownBy(() -> EngineApi.get(socket, "/version", Duration.ofSeconds(10), new Cancellation()))
                .isInstanceOf(EngineApi.NoAnswerException.class)
                .hasMessage("the connection was closed (is the Docker daemon running on the host?)");
    }

    @Test
    void aMissingSocketIsNoAnswer() {
        assertThatThrownBy(() -> EngineApi.get(dir.resolve("none.sock"), "/version", Duration.ofSeconds(10), null))
                .isInstanceOf(EngineApi.NoAnswerException.class)
                .hasMessageStartingWith("cannot connect to the engine's socket");
    }

    @Test
    void anEngineThatSaysNothingTimesOut() throws Exception {
        Path socket = serveOnce(c -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> EngineApi.get(socket, "/version", Duration.ofSeconds(1), new Cancellation()))
                .isInstanceOf(EngineApi.TimedOutException.class)
                .hasMessage("no answer within 1 s");
    }

    @Test
    void aCancelledRunStopsWaiting() throws Exception {
        Path socket = serveOnce(c -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Cancellation cancellation = new Cancellation();
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancellation.cancel();
        });
        assertThatThrownBy(() -> EngineApi.get(socket, "/version", Duration.ofSeconds(30), cancellation))
                .isInstanceOf(EngineApi.CancelledException.class);
    }

    @Test
    void somethingElseThanHttpIsNoAnswer() throws Exception {
        Path socket = serveOnce(c -> write(c, "SSH-2.0-OpenSSH_9.2\r\n"));
        assertThatThrownBy(() -> EngineApi.get(socket, "/version", Duration.ofSeconds(10), new Cancellation()))
                .isInstanceOf(EngineApi.NoAnswerException.class)
                .hasMessage("not an HTTP answer");
    }
}
