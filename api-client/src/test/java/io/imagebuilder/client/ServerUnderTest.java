package io.imagebuilder.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/image-builder serve} as a process of its own, on a free port (it prints the one it took), with an H2
 * database in its state directory and one API key, building on the loopback host.
 */
final class ServerUnderTest implements AutoCloseable {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");

    private final Process process;
    private final Path output;
    private final int port;

    private ServerUnderTest(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    static ServerUnderTest start(Path dir, Loopback env, String apiKey) throws Exception {
        Path keys = dir.resolve("api-keys");
        Files.writeString(keys, "client " + HexFormat.of().formatHex(sha256(apiKey)) + "\n");
        Path output = dir.resolve("server.log");
        Process p = new ProcessBuilder(List.of(REPO.resolve("bin/image-builder").toString(), "serve",
                "--host", "127.0.0.1", "--port", "0", "--workers", "1", "--api-keys", keys.toString(),
                "--state-dir", dir.resolve("state").toString(), "--docker-host", env.dockerHost(),
                "--ssh-key", env.get("IB_TEST_SSH_KEY"), "--known-hosts", env.get("IB_TEST_KNOWN_HOSTS"),
                "--docker-client", env.get("IB_TEST_DOCKER_CLIENT"), "--network", "none"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(output));
            if (m.find()) return new ServerUnderTest(p, output, Integer.parseInt(m.group(1)));
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the server did not start:\n" + Files.readString(output));
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    private static byte[] sha256(String text) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
