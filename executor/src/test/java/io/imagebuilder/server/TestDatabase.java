package io.imagebuilder.server;

import io.imagebuilder.testenv.TestEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, empty database for one test: an H2 file under a temporary directory, or a database of its own on the
 * loopback PostgreSQL of scripts/testenv.sh (dropped by {@link #close()}).
 */
public record TestDatabase(String kind, String url, String user, String password, String adminUrl, String name)
        implements AutoCloseable {

    public static TestDatabase h2(Path dir) {
        // automatic server mode: the test reads the file while a server process holds it
        return new TestDatabase("h2", "jdbc:h2:file:" + dir.resolve("db/test") + ";AUTO_SERVER=TRUE", null, null, null,
                null);
    }

    public static TestDatabase postgres() throws Exception {
        TestEnvironment env = TestEnvironment.load();
        String admin = env.get("IB_TEST_PG_URL");
        String user = env.get("IB_TEST_PG_USER");
        String password = Files.readString(Path.of(env.get("IB_TEST_PG_PASSWORD_FILE"))).strip();
        String name = "ib_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = admin.substring(0, admin.lastIndexOf('/') + 1) + name;
        return new TestDatabase("postgresql", url, user, password, admin, name);
    }

    public static TestDatabase of(String kind, Path dir) throws Exception {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "h2" -> h2(dir);
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    public Connection connect() throws Exception {
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
    }

    @Override
    public void close() throws Exception {
        if (adminUrl == null) return;
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return kind;
    }
}
