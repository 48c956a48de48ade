package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Build host connections opened once a build's input has passed its checks, while the run gets ready, so that the
 * SSH handshake overlaps that work instead of following it. The build takes them when it connects to its hosts;
 * what it says while connecting is said in its own output, as if it had opened them itself. A connection no build
 * took is closed when the run that opened it ends.
 */
public final class ConnectionsAhead {

    private final Map<BuildHost, Deque<Opening>> waiting = new HashMap<>();

    /** The connections one run opened ahead; closing it closes those no build took. */
    public interface Opened extends AutoCloseable {
        @Override
        void close();
    }

    /** One connection being opened or open, and what it has said so far. */
    private static final class Opening implements LineSink {
        final BuildHost host;
        final Cancellation cancellation;
        CompletableFuture<EngineConnection> connection;
        private List<String> held = new ArrayList<>();
        private LineSink to;

        Opening(BuildHost host, Cancellation cancellation) {
            this.host = host;
            this.cancellation = cancellation;
        }

        @Override
        public synchronized void line(String text) {
            if (to != null) to.line(text);
            else held.add(text);
        }

        synchronized void sayTo(LineSink log) {
            held.forEach(log::line);
            held = null;
            to = log;
        }
    }

    /**
     * Starts connecting to each of {@code hosts}, under a part of {@code cancellation} of their own: it stops them
     * while they connect, and the commands later run over them answer to the cancellation of the build that takes
     * them.
     */
    Opened open(List<BuildHost> hosts, Cancellation cancellation) {
        List<Opening> mine = new ArrayList<>();
        for (BuildHost host : hosts) {
            Opening o = new Opening(host, cancellation.child());
            o.connection = Futures.supply(() -> EngineConnection.open(host, o, o.cancellation));
            synchronized (waiting) {
                waiting.computeIfAbsent(host, h -> new ArrayDeque<>()).add(o);
            }
            mine.add(o);
        }
        return () -> mine.forEach(this::drop);
    }

    /**
     * A connection to {@code host} opened ahead, waited for, with what it said put in {@code log}; null when there is
     * none. A connection that could not be opened throws as opening it now would; one still connecting is stopped
     * when {@code cancellation} (the taker's, which may be null) is.
     */
    EngineConnection take(BuildHost host, LineSink log, Cancellation cancellation) throws BuildException {
        Opening o;
        synchronized (waiting) {
            Deque<Opening> queue = waiting.get(host);
            o = queue == null ? null : queue.poll();
            if (queue != null && queue.isEmpty()) waiting.remove(host);
        }
        if (o == null) return null;
        o.sayTo(log);
        Runnable stop = o.cancellation::cancel;
        if (cancellation != null && !cancellation.register(stop)) stop.run();
        try {
            return Futures.join(o.connection);
        } finally {
            if (cancellation != null) cancellation.unregister(stop);
        }
    }

    /** Closes {@code o} unless a build took it; one still connecting is stopped first. */
    private void drop(Opening o) {
        synchronized (waiting) {
            Deque<Opening> queue = waiting.get(o.host);
            if (queue == null || !queue.remove(o)) return;
            if (queue.isEmpty()) waiting.remove(o.host);
        }
        o.cancellation.cancel();
        try {
            o.connection.join().close();
        } catch (RuntimeException e) {
            // it never opened, so there is nothing to close
        }
    }
}
