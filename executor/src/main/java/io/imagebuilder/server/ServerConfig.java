package io.imagebuilder.server;

import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.server.hooks.WebhookSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a server runs. {@code dbUrl} null means the embedded H2 file database under {@code stateDir}. The build host
 * settings are the server's, never the client's: an API client cannot name files on the server (keys, known_hosts)
 * or choose the engine. Their {@code timeout} limits each operation of a build or deployment that sets none of its
 * own; their {@code maxConcurrentBuilds} holds for each engine over every build of the server. Unless
 * {@code allowLocalSources}, requests naming paths or git repositories of the server's machine are refused.
 * {@code corsOrigins} are the browser origins (scheme://host[:port]) whose pages may call the API. {@code dbPassword}
 * is kept out of toString. {@code webhooks} are the owners' webhook URLs (none by default); {@code retention}, when
 * not null, is how long ended jobs are kept.
 */
public record ServerConfig(String host, int port, String dbUrl, String dbUser, String dbPassword, int workers, Path apiKeysFile,
                           Path stateDir, Path secretKeyFile, long maxBodyBytes, Duration lease,
                           BuildHostSettings buildHost, boolean allowLocalSources, List<String> corsOrigins,
                           WebhookSettings webhooks, Retention retention) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /**
     * Ended jobs are removed {@code days} after they ended, with their logs, work directories and the tags they
     * left on build hosts; checked at start, then every {@code every}.
     */
    public record Retention(int days, Duration every) {

        public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

        public Retention {
            if (days < 1) throw new IllegalArgumentException("retention must be 1 day or more");
            if (every == null) every = DEFAULT_EVERY;
        }
    }

    public ServerConfig {
        if (host == null) host = "127.0.0.1";
        if (workers < 0) throw new IllegalArgumentException("workers must not be negative");
        stateDir = stateDir.toAbsolutePath().normalize();
        if (apiKeysFile == null) apiKeysFile = stateDir.resolve("api-keys");
        if (secretKeyFile == null) secretKeyFile = stateDir.resolve("secret.key");
        if (lease == null) lease = DEFAULT_LEASE;
        if (maxBodyBytes <= 0) maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        if (buildHost == null) buildHost = BuildHostSettings.none();
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        if (webhooks == null) webhooks = WebhookSettings.none();
    }

    public ServerConfig(String host, int port, String dbUrl, String dbUser, String dbPassword, int workers,
                        Path apiKeysFile, Path stateDir, Path secretKeyFile, long maxBodyBytes, Duration lease,
                        BuildHostSettings buildHost, boolean allowLocalSources, List<String> corsOrigins) {
        this(host, port, dbUrl, dbUser, dbPassword, workers, apiKeysFile, stateDir, secretKeyFile, maxBodyBytes, lease,
                buildHost, allowLocalSources, corsOrigins, null, null);
    }

    public ServerConfig(String host, int port, String dbUrl, String dbUser, String dbPassword, int workers,
                        Path apiKeysFile, Path stateDir, Path secretKeyFile, long maxBodyBytes, Duration lease,
                        BuildHostSettings buildHost, boolean allowLocalSources) {
        this(host, port, dbUrl, dbUser, dbPassword, workers, apiKeysFile, stateDir, secretKeyFile, maxBodyBytes, lease,
                buildHost, allowLocalSources, List.of());
    }

    public ServerConfig withCorsOrigins(List<String> origins) {
        return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, workers, apiKeysFile, stateDir, secretKeyFile,
                maxBodyBytes, lease, buildHost, allowLocalSources, origins, webhooks, retention);
    }

    public ServerConfig withWebhooks(WebhookSettings settings) {
        return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, workers, apiKeysFile, stateDir, secretKeyFile,
                maxBodyBytes, lease, buildHost, allowLocalSources, corsOrigins, settings, retention);
    }

    public ServerConfig withRetention(Retention kept) {
        return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, workers, apiKeysFile, stateDir, secretKeyFile,
                maxBodyBytes, lease, buildHost, allowLocalSources, corsOrigins, webhooks, kept);
    }

    /** The JDBC URL actually used: the given one, or the embedded database's file under the state directory. */
    public String jdbcUrl() {
        return dbUrl != null ? dbUrl : "jdbc:h2:file:" + stateDir.resolve("db/image-builder");
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", db=" + jdbcUrl() + ", workers=" + workers + ", stateDir=" + stateDir
                + "]";
    }
}
