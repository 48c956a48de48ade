package io.imagebuilder.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;

/** The server's database: a connection pool, migrated to this server's schema on start. */
public final class Database implements AutoCloseable {

    /** The SQL dialects the server speaks; they differ in how a worker claims a job. */
    public enum Dialect { H2, POSTGRESQL }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    public static Database open(String url, String user, String password, int connections) {
        Dialect dialect;
        if (url.startsWith("jdbc:h2:")) dialect = Dialect.H2;
        else if (url.startsWith("jdbc:postgresql:")) dialect = Dialect.POSTGRESQL;
        else throw new IllegalArgumentException("unsupported database URL " + url
                    + "; expected jdbc:h2:... or jdbc:postgresql://...");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(dialect == Dialect.H2 ? durable(url) : url);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(connections);
        config.setPoolName("image-builder");
        config.setInitializationFailTimeout(10_000);
        // a health check must answer soon when the database is away, not after Hikari's default 30 s
        config.setConnectionTimeout(5_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to the database " + url + ": " + rootMessage(e), e);
        }
        Database db = new Database(pool, dialect);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return db;
    }

    /**
     * H2 writes commits to its file up to half a second late by default; a server killed in that window would lose
     * builds it had answered 202 for. WRITE_DELAY=0 writes each commit before the commit returns.
     */
    static String durable(String url) {
        return url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=") ? url : url + ";WRITE_DELAY=0";
    }

    /** Applies this server's migrations; refuses a database whose schema a newer server has already changed. */
    private void migrate() {
        Flyway flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load();
        // Flyway ignores applied migrations it does not know by default; a server must not run on a schema it
        // does not understand
        MigrationInfo[] all = flyway.info().all();
        boolean future = Arrays.stream(all).anyMatch(i -> i.getState() == MigrationState.FUTURE_SUCCESS
                || i.getState() == MigrationState.FUTURE_FAILED);
        if (future) {
            MigrationVersion ours = Arrays.stream(all).filter(i -> i.getState() != MigrationState.FUTURE_SUCCESS
                            && i.getState() != MigrationState.FUTURE_FAILED && i.getVersion() != null)
                    .map(MigrationInfo::getVersion).max(Comparator.naturalOrder()).orElse(MigrationVersion.EMPTY);
            throw new IllegalStateException("the database schema is at version " + flyway.info().current().getVersion()
                    + ", newer than this server's " + ours + " (a newer image-builder has migrated it); "
                    + "run that version, or give this one a database of its own");
        }
        flyway.migrate();
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Whether the database answers a trivial query. */
    public boolean reachable() {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
