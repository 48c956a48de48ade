package io.imagebuilder.cli;

import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.api.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the REST API server: build jobs are queued in a database (embedded H2 under the state "
                + "directory, or PostgreSQL) and run by workers on the build host given here. Stops on SIGINT or "
                + "SIGTERM; builds still running then fail as interrupted.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a "
            + "free one).", defaultValue = "8080")
    int port;

    // loopback unless asked: the API runs builds, and a server should not be reachable before its operator says so
    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: "
            + "${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database: jdbc:postgresql://HOST:PORT/DB or "
            + "jdbc:h2:... (default: an H2 file database in the state directory).")
    String db;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default: $IMAGE_BUILDER_DB_USER).")
    String dbUser;

    @Option(names = "--db-password-file", paramLabel = "FILE", description = "File holding the database password "
            + "(default: $IMAGE_BUILDER_DB_PASSWORD). Never given on the command line itself.")
    Path dbPasswordFile;

    @Option(names = "--workers", paramLabel = "N", description = "Builds run at once by this server (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "2")
    int workers;

    @Option(names = "--api-keys", paramLabel = "FILE", description = "Accepted API keys, one 'NAME SHA256-HEX' line "
            + "each (default: STATE_DIR/api-keys).")
    Path apiKeys;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Server state: the H2 database, the secret key, "
            + "the work directories of builds (default: ${DEFAULT-VALUE}).", defaultValue = "image-builder-server")
    Path stateDir;

    @Option(names = "--secret-key", paramLabel = "FILE", description = "AES key (64 hex digits, mode 0600) that "
            + "encrypts the stored requests; created when missing (default: STATE_DIR/secret.key). Servers sharing "
            + "a database must share it.")
    Path secretKey;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Largest accepted request body (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "1048576")
    long maxBodyBytes;

    @Option(names = "--lease-seconds", paramLabel = "S", description = "A running build whose server has not renewed "
            + "it for this long is failed as interrupted (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    int leaseSeconds;

    @Mixin
    BuildHostOptions buildHost;

    @Mixin
    SourceLimitOptions sourceLimits;

    @Option(names = "--max-concurrent-builds", paramLabel = "N", description = "Builds each engine runs at once, "
            + "counting every build of this server (default: 1).")
    Integer maxConcurrentBuilds;

    @Option(names = "--allow-local-sources", description = "Accept requests whose sources are paths or git "
            + "repositories of this machine (refused by default: a client could have any directory the server can "
            + "read built into an image).")
    boolean allowLocalSources;

    @Option(names = "--oauth-introspection-url", paramLabel = "URL", description = "Also accept OAuth 2.0 bearer "
            + "tokens, checked by token introspection (RFC 7662) at this endpoint.")
    java.net.URI introspectionUrl;

    @Option(names = "--oauth-client-id", paramLabel = "ID", description = "This server's client id at the "
            + "introspection endpoint.")
    String oauthClientId;

    @Option(names = "--oauth-client-secret-file", paramLabel = "FILE", description = "File holding this server's "
            + "client secret at the introspection endpoint.")
    Path oauthClientSecretFile;

    @Option(names = "--build-timeout", paramLabel = "SECONDS", description = "Time limit for each operation of a "
            + "build or deployment that sets none of its own, such as fetching a source or building and pushing "
            + "(default: none).")
    Long buildTimeout;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "A browser origin (scheme://host[:port]) "
            + "whose pages may call the API (CORS); repeat for several. None by default.")
    List<String> corsOrigins = List.of();

    @Option(names = "--webhooks", paramLabel = "FILE", description = "Webhooks: lines 'OWNER URL SECRET_FILE'; "
            + "every state change of a job submitted by OWNER (an API key's name, or oauth:SUBJECT) is posted to URL, "
            + "signed with the secret in SECRET_FILE (mode 0600). None by default.")
    Path webhooks;

    // how soon and how often a delivery is tried again; set small by tests, left alone by operators
    @Option(names = "--webhook-first-retry-ms", hidden = true, defaultValue = "10000")
    long webhookFirstRetryMs;

    @Option(names = "--webhook-attempts", hidden = true, defaultValue = "8")
    int webhookAttempts;

    @Option(names = "--retain-days", paramLabel = "N", description = "Remove builds and deployments N days (1 or "
            + "more) after they ended: records, logs, work directories, webhook deliveries and the image tags builds "
            + "left on build hosts. Checked at start, then hourly. Kept forever by default.")
    Integer retainDays;

    @Option(names = "--retention-interval-seconds", hidden = true, defaultValue = "3600")
    long retentionIntervalSeconds;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (workers < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be 0 or more");
        if (leaseSeconds < 2) throw new CommandLine.ParameterException(spec.commandLine(), "--lease-seconds must be "
                + "2 or more");
        String user = dbUser != null ? dbUser : System.getenv("IMAGE_BUILDER_DB_USER");
        String password = System.getenv("IMAGE_BUILDER_DB_PASSWORD");
        if (dbPasswordFile != null) password = readPassword(dbPasswordFile);
        ServerConfig config = new ServerConfig(host, port, db, user, password, workers, apiKeys, stateDir, secretKey,
                maxBodyBytes, Duration.ofSeconds(leaseSeconds), settings(), allowLocalSources, corsOrigins())
                .withWebhooks(webhooks()).withRetention(retention());
        io.imagebuilder.server.TokenIntrospection introspection = null;
        if (introspectionUrl != null) {
            if (oauthClientId == null || oauthClientSecretFile == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--oauth-introspection-url needs "
                        + "--oauth-client-id and --oauth-client-secret-file");
            }
            try {
                introspection = io.imagebuilder.server.TokenIntrospection.of(introspectionUrl, oauthClientId,
                        oauthClientSecretFile);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        ApiServer server = ApiServer.start(config, introspection);
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (done) return;
                server.close();
                done = true;
                stopped.countDown();
            }
        };
        // shutdown hooks run in no set order, and H2 closes its database in a hook of its own; stopping on the
        // signal itself, before any hook runs, leaves the database open while running builds are failed
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                stop.run();
                System.exit(128 + signal.getNumber());
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "image-builder-serve-stop"));
        var out = spec.commandLine().getOut();
        out.println("image-builder API listening on " + host + ":" + server.port() + " (database "
                + server.database().dialect().name().toLowerCase() + ", " + workers + " workers)");
        out.println("dashboard: http://" + host + ":" + server.port() + "/");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** The build host settings the options give, for every build and deployment of the server. */
    BuildHostSettings settings() {
        return buildHost.settings(spec, maxConcurrentBuilds, Seconds.positive(spec, "--build-timeout", buildTimeout),
                sourceLimits.limits(spec));
    }

    private io.imagebuilder.server.hooks.WebhookSettings webhooks() {
        if (webhookFirstRetryMs < 1 || webhookAttempts < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--webhook-first-retry-ms and "
                    + "--webhook-attempts must be 1 or more");
        }
        if (webhooks == null) return io.imagebuilder.server.hooks.WebhookSettings.none();
        try {
            return new io.imagebuilder.server.hooks.WebhookSettings(
                    io.imagebuilder.server.hooks.WebhookFile.parse(webhooks))
                    .withRetries(Duration.ofMillis(webhookFirstRetryMs), webhookAttempts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--webhooks: " + e.getMessage());
        }
    }

    private ServerConfig.Retention retention() {
        if (retainDays == null) return null;
        if (retainDays < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--retain-days must be 1 "
                + "or more");
        if (retentionIntervalSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--retention-interval-seconds must be 1 or "
                    + "more");
        }
        return new ServerConfig.Retention(retainDays, Duration.ofSeconds(retentionIntervalSeconds));
    }

    /** Origins as browsers send them: no path, no trailing slash, lower-case scheme and host. */
    private List<String> corsOrigins() {
        for (String origin : corsOrigins) {
            if (!origin.matches("https?://[a-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9a-f:.]+](:[0-9]{1,5})?")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cors-origin: \"" + origin + "\" is "
                        + "not an origin such as https://portal.example.org or http://localhost:3000");
            }
        }
        return corsOrigins;
    }

    private String readPassword(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--db-password-file: cannot read " + file
                    + " (" + e.getMessage() + ")");
        }
    }
}
