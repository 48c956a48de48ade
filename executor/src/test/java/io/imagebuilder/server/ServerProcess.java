package io.imagebuilder.server;

import io.imagebuilder.testenv.TestEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** bin/image-builder serve as a process of its own, on a free port, building on loopback host 1. */
final class ServerProcess implements AutoCloseable {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");

    private final Process process;
    private final Path output;
    private final int port;

    private ServerProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts a server sharing {@code dir}'s keys file and secret key; its state directory is {@code state}. */
    static ServerProcess start(Path dir, Path state, TestDatabase db, int workers, int leaseSeconds) throws Exception {
        return start(dir, state, db, workers, leaseSeconds, List.of());
    }

    /** As above, with more options of serve. */
    static ServerProcess start(Path dir, Path state, TestDatabase db, int workers, int leaseSeconds,
                               List<String> options) throws Exception {
        TestEnvironment env = TestEnvironment.load();
        Path keys = dir.resolve("api-keys");
        if (!Files.exists(keys)) {
            Files.writeString(keys, ApiKeys.line("alice", TestServer.ALICE) + "\n" + ApiKeys.line("bob", TestServer.BOB)
                    + "\n");
        }
        List<String> command = new ArrayList<>(List.of(REPO.resolve("bin/image-builder").toString(), "serve",
                "--host", "127.0.0.1", "--port", "0", "--workers", Integer.toString(workers), "--lease-seconds",
                Integer.toString(leaseSeconds), "--api-keys", keys.toString(), "--state-dir", state.toString(),
                "--secret-key", dir.resolve("secret.key").toString(), "--docker-host", env.dockerHost(1),
                "--ssh-key", env.sshKey().toString(), "--known-hosts", env.knownHosts().toString(),
                "--docker-client", env.dockerClient(), "--network", "none", "--allow-local-sources"));
        command.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (!db.kind().equals("h2")) {
            command.addAll(List.of("--db", db.url(), "--db-user", db.user()));
            pb.command(command);
            pb.environment().put("IMAGE_BUILDER_DB_PASSWORD", db.password()); // never on the command line
        } else {
            command.addAll(List.of("--db", db.url()));
            pb.command(command);
        }
        Files.createDirectories(state.getParent());
        Path output = Files.createTempFile(state.getParent(), "server-", ".log");
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(output));
            if (m.find()) return new ServerProcess(p, output, Integer.parseInt(m.group(1)));
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the server did not start:\n" + Files.readString(output));
    }

    int port() {
        return port;
    }

    /** The server's JVM (bin/image-builder execs java). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    String output() throws Exception {
        return Files.readString(output);
    }

    /** SIGTERM, as a service manager stops the server; waits until the process has ended. */
    void terminate() throws Exception {
        process.destroy();
        if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop within 2 minutes of SIGTERM:\n" + output());
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is cleaned up. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
