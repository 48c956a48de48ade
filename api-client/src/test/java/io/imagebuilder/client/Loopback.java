package io.imagebuilder.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The loopback build host and registry of {@code scripts/testenv.sh up}, read from its testenv.properties (this
 * module sees none of the executor's test classes). Missing, the test fails with the command that starts it.
 */
record Loopback(Properties properties) {

    static Loopback load() {
        Path file = Path.of(System.getenv().getOrDefault("TESTENV_DIR", "/var/lib/image-builder-testenv"),
                "testenv.properties");
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
        return new Loopback(p);
    }

    String get(String key) {
        String v = properties.getProperty(key);
        if (v == null) throw new IllegalStateException("testenv.properties has no " + key);
        return v;
    }

    String dockerHost() {
        return get("IB_TEST_DOCKER_HOST_1");
    }

    String registry() {
        return get("IB_TEST_REGISTRY");
    }

    String registryUser() {
        return get("IB_TEST_REGISTRY_USER");
    }

    /** Read at use, never logged. */
    String registryPassword() {
        try {
            return Files.readString(Path.of(get("IB_TEST_REGISTRY_PASSWORD_FILE"))).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the registry password file", e);
        }
    }

    /** A Dockerfile without a build context, served over HTTP. */
    String dockerfileUrl() {
        return get("IB_TEST_EXAMPLES_HTTP") + "/no_context/Dockerfile";
    }
}
