package io.imagebuilder.ssh;

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

/**
 * A client of an ssh master connection's control socket, speaking OpenSSH's multiplexing protocol (PROTOCOL.mux,
 * version 4) instead of starting an {@code ssh -O} process per request. While it is open the master counts it as a
 * client, so a master started with ControlPersist stays up at least as long as this is held.
 * <p>
 * The master accepts only its own user on the socket, which it creates private to that user.
 */
public final class SshMux implements AutoCloseable {

    private static final int VERSION = 4;
    private static final int HELLO = 0x00000001;
    private static final int ALIVE_CHECK = 0x10000004;
    private static final int OPEN_FORWARD = 0x10000006;
    private static final int OK = 0x80000001;
    private static final int PERMISSION_DENIED = 0x80000002;
    private static final int FAILURE = 0x80000003;
    private static final int ALIVE = 0x80000005;
    private static final int FORWARD_LOCAL = 1;
    /** The port that marks a forward's end as a unix socket path. */
    private static final int STREAM_LOCAL = -2;
    private static final int MAX_PACKET = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private int requestId;

    private SshMux(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * Connects to the master listening on {@code control} and exchanges greetings.
     *
     * @throws IOException when no master answers there (no socket, a stale one, or not a master)
     */
    public static SshMux connect(Path control) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.connect(UnixDomainSocketAddress.of(control));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            SshMux mux = new SshMux(channel, selector);
            ByteBuffer hello = mux.receive();
            if (hello.getInt() != HELLO || hello.getInt() != VERSION) {
                throw new IOException("the control socket does not speak version " + VERSION
                        + " of ssh's multiplexing protocol");
            }
            mux.send(packet(HELLO).putInt(VERSION));
            return mux;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) selector.close();
            throw e;
        }
    }

    /** The master's process id, which also tells that it still answers. */
    public long alive() throws IOException {
        int id = ++requestId;
        send(packet(ALIVE_CHECK).putInt(id));
        ByteBuffer reply = receive();
        if (reply.getInt() != ALIVE || reply.getInt() != id) throw new IOException("unexpected answer to a check");
        return Integer.toUnsignedLong(reply.getInt());
    }

    /**
     * Has the master listen on the local unix socket {@code listen} and forward each connection to the remote unix
     * socket {@code remote}. Asking again for a forward the master already has is answered as success.
     */
    public void forward(Path listen, String remote) throws IOException {
        int id = ++requestId;
        ByteBuffer p = packet(OPEN_FORWARD).putInt(id).putInt(FORWARD_LOCAL);
        putString(p, listen.toString());
        p.putInt(STREAM_LOCAL);
        putString(p, remote);
        p.putInt(STREAM_LOCAL);
        send(p);
        ByteBuffer reply = receive();
        int type = reply.getInt();
        if (reply.getInt() != id) throw new IOException("unexpected answer to a forward");
        if (type == OK) return;
        String why = type == FAILURE || type == PERMISSION_DENIED ? getString(reply) : "answer " + type;
        throw new IOException("the connection refused to forward " + remote + ": " + why);
    }

    /** False once the master has closed this client's connection (it ended, or dropped the client). */
    public boolean isOpen() {
        if (!channel.isOpen()) return false;
        try {
            return channel.read(ByteBuffer.allocate(1)) >= 0; // nothing is due between requests
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            selector.close();
        } catch (IOException e) {
            // the master sees the client go in any case
        }
    }

    private static ByteBuffer packet(int type) {
        return ByteBuffer.allocate(4096).putInt(0).putInt(type);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) return "";
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Sends a packet made by {@link #packet}, its length filled in. */
    private void send(ByteBuffer p) throws IOException {
        p.putInt(0, p.position() - 4).flip();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (p.hasRemaining()) {
            if (channel.write(p) == 0) {
                if (System.nanoTime() > deadline) throw new IOException("the ssh master does not read its requests");
                Thread.onSpinWait();
            }
        }
    }

    /** The next packet's payload (after its length). */
    private ByteBuffer receive() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        ByteBuffer length = ByteBuffer.allocate(4);
        fill(length, deadline);
        int n = length.flip().getInt();
        if (n < 4 || n > MAX_PACKET) throw new IOException("the ssh master sent a packet of " + n + " bytes");
        ByteBuffer body = ByteBuffer.allocate(n);
        fill(body, deadline);
        return body.flip();
    }

    private void fill(ByteBuffer b, long deadline) throws IOException {
        while (b.hasRemaining()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IOException("the ssh master did not answer within " + TIMEOUT.toSeconds() + " s");
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            if (channel.read(b) < 0) throw new IOException("the ssh master closed the connection");
        }
    }
}
