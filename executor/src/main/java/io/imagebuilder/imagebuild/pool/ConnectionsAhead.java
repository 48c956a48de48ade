package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Build host connections opened, and the registry login checked, once a build's input has passed its checks, while
 * the run gets ready, so that the SSH handshake and the login overlap that work instead of following it. The build
 * takes them when it connects to its hosts; what they said is said in its own output, as if it had done them
 * itself. A connection no build took is closed when the run that opened it ends.
 */
public final class ConnectionsAhead {

    private final Map<BuildHost, Deque<Opening>> waiting = new HashMap<>();
    /** Logins checked ahead, by the registry they are for; guarded by {@link #waiting}. */
    private final Map<RegistrySpec, Deque<Login>> logins = new HashMap<>();

    /** The connections one run opened ahead; closing it closes those no build took. */
    public interface Opened extends AutoCloseable {
        @Override
        void close();
    }

    /** Work started ahead for a build, and what it has said so far, said again to the build that takes it. */
    private abstract static class Ahead implements LineSink {
        private List<String> held = new ArrayList<>();
        private LineSink to;

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

    /** One connection being opened or open. */
    private static final class Opening extends Ahead {
        final BuildHost host;
        final Cancellation cancellation;
        CompletableFuture<EngineConnection> connection;

        Opening(BuildHost host, Cancellation cancellation) {
            this.host = host;
            this.cancellation = cancellation;
        }
    }

    /** One registry login being checked, or checked. */
    private static final class Login extends Ahead {
        final RegistrySpec registry;
        CompletableFuture<Void> checked;

        Login(RegistrySpec registry) {
            this.registry = registry;
        }
    }

    /**
     * Starts connecting to each of {@code hosts}, under a part of {@code cancellation} of their own: it stops them
     * while they connect, and the commands later run over them answer to the cancellation of the build that takes
     * them.
     */
    Opened open(List<BuildHost> hosts, Cancellation cancellation) {
        return open(hosts, null, cancellation);
    }

    /** As {@link #open(List, Cancellation)}, and checks the login to {@code registry} (if not null) meanwhile. */
    Opened open(List<BuildHost> hosts, RegistrySpec registry, Cancellation cancellation) {
        Login login = registry == null ? null : new Login(registry);
        if (login != null) {
            login.checked = Engines.checkLogin(registry, login);
            synchronized (waiting) {
                logins.computeIfAbsent(registry, r -> new ArrayDeque<>()).add(login);
            }
        }
        List<Opening> mine = new ArrayList<>();
        for (BuildHost host : hosts) {
            Opening o = new Opening(host, cancellation.child());
            o.connection = Futures.supply(() -> EngineConnection.open(host, o, o.cancellation));
            synchronized (waiting) {
                waiting.computeIfAbsent(host, h -> new ArrayDeque<>()).add(o);
            }
            mine.add(o);
        }
        return () -> {
            mine.forEach(this::drop);
            if (login != null) forget(login);
        };
    }

    /**
     * The check of the login to {@code registry} made ahead, with what it said put in {@code log}; null when there
     * is none. Its failure is the check's, as making it now would fail.
     */
    CompletableFuture<Void> takeLogin(RegistrySpec registry, LineSink log) {
        Login l;
        synchronized (waiting) {
            Deque<Login> queue = logins.get(registry);
            l = queue == null ? null : queue.poll();
            if (queue != null && queue.isEmpty()) logins.remove(registry);
        }
        if (l == null) return null;
        l.sayTo(log);
        return l.checked;
    }

    /** A login no build took: its answer is not wanted (a check holds nothing to close). */
    private void forget(Login l) {
        synchronized (waiting) {
            Deque<Login> queue = logins.get(l.registry);
            if (queue != null && queue.remove(l) && queue.isEmpty()) logins.remove(l.registry);
        }
    }

    /**
     * A connection to {@code host} opened ahead, waited for, with what it said put in {@code log}; null when there is
     * none. A connection that could not be opened throws as opening it now would; one still connecting is stopped
     * when {@code cancellation} (the taker's, which may be null) is, and a cancelled taker gets none.
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
            EngineConnection c = Futures.join(o.connection);
            if (cancellation != null && cancellation.isCancelled()) {
                c.close();
                throw new BuildException("cancelled");
            }
            return c;
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
