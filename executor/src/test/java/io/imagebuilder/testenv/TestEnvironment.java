package io.imagebuilder.testenv;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The loopback build hosts and registry started by {@code scripts/testenv.sh up}. Tests that need them fail
 * (never skip) when the environment is missing, with the command that starts it.
 */
public record TestEnvironment(Properties properties) {

    public static final Path DEFAULT_DIR = Path.of("/var/lib/image-builder-testenv");

    public static TestEnvironment load() {
        String dir = System.getenv().getOrDefault("TESTENV_DIR", DEFAULT_DIR.toString());
        Path file = Path.of(dir, "testenv.properties");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the loopback test environment is not set up (" + file
                    + " is missing); start it with: scripts/testenv.sh up");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return new TestEnvironment(p);
    }

    public String get(String key) {
        String v = properties.getProperty(key);
        if (v == null) throw new IllegalStateException("testenv.properties has no " + key);
        return v;
    }

    public Path dir() {
        return Path.of(get("IB_TESTENV_DIR"));
    }

    public String dockerHost(int host) {
        return get("IB_TEST_DOCKER_HOST_" + host);
    }

    public String dockerSocket(int host) {
        return get("IB_TEST_DOCKER_SOCKET_" + host);
    }

    public Path sshKey() {
        return Path.of(get("IB_TEST_SSH_KEY"));
    }

    /** The loopback S3 API (S3Proxy), its bucket, and an AWS shared credentials file for it. */
    public String s3Endpoint() {
        return get("IB_TEST_S3_ENDPOINT");
    }

    public String s3Bucket() {
        return get("IB_TEST_S3_BUCKET");
    }

    public Path s3Credentials() {
        return Path.of(get("IB_TEST_S3_CREDENTIALS"));
    }

    public Path knownHosts() {
        return Path.of(get("IB_TEST_KNOWN_HOSTS"));
    }

    public String registry() {
        return get("IB_TEST_REGISTRY");
    }

    public String registryUser() {
        return get("IB_TEST_REGISTRY_USER");
    }

    /** Read at use, never kept in a string longer than needed, never logged. */
    public String registryPassword() {
        try {
            return Files.readString(Path.of(get("IB_TEST_REGISTRY_PASSWORD_FILE"))).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the registry password file", e);
        }
    }

    public String baseImage() {
        return get("IB_TEST_BASE_IMAGE");
    }

    /** A Debian image with apt and python3, made by the environment with debootstrap. */
    public String debianImage() {
        return get("IB_TEST_DEBIAN_IMAGE");
    }

    public String dockerClient() {
        return get("IB_TEST_DOCKER_CLIENT");
    }
}
