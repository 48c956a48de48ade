package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.ClientCapabilities;
import io.imagebuilder.imagebuild.host.DockerCli;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.ssh.SshIdentity;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connections opened while a build gets ready, against the loopback build hosts over real SSH. */
class ConnectionsAheadTest {

    private static TestEnvironment env;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    private static BuildHost host(String dockerHost) {
        return new BuildHost(dockerHost, new SshIdentity(env.sshKey(), env.knownHosts()), env.dockerClient(),
                List.of(Platform.parse("linux/amd64")), 1, "none");
    }

    /** The private directories of this process's connections: one exists while a connection is open. */
    private static List<Path> connectionDirectories() throws IOException {
        String prefix = "ib-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    @Test
    void theBuildTakesTheConnectionAndHearsWhatItSaid() throws Exception {
        ConnectionsAhead ahead = new ConnectionsAhead();
        BuildHost host = host(env.dockerHost(2));
        List<String> log = new ArrayList<>();
        EngineConnection taken;
        try (ConnectionsAhead.Opened opened = ahead.open(List.of(host), new Cancellation())) {
            taken = ahead.take(host, log::add, new Cancellation());
            assertThat(ahead.take(host, line -> { }, null)).as("each connection is taken once").isNull();
        }
        try (taken) {
            // the run's end closes only what no build took
            List<String> out = new ArrayList<>();
            new DockerCli(ClientCapabilities.detect(env.dockerClient()), taken, new Cancellation())
                    .require("info", List.of("info", "--format", "{{index .Labels 0}}"), null, out::add);
            assertThat(out).containsExactly("io.imagebuilder.testenv.host=2");
        }
        assertThat(log).singleElement().isIn("connecting to " + env.dockerHost(2),
                "connected to " + env.dockerHost(2) + " (a connection kept from an earlier run)");
        assertThat(ahead.take(host(env.dockerHost(1)), line -> { }, null)).isNull();
    }

    @Test
    void aConnectionNoBuildTookIsClosedWhenItsRunEnds() throws Exception {
        List<Path> before = connectionDirectories();
        ConnectionsAhead ahead = new ConnectionsAhead();
        BuildHost host = host(env.dockerHost(1));
        try (ConnectionsAhead.Opened opened = ahead.open(List.of(host), new Cancellation())) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (connectionDirectories().size() == before.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(connectionDirectories()).as("the connection is being opened").hasSize(before.size() + 1);
        }
        assertThat(connectionDirectories()).as("closed, its directory removed").isEqualTo(before);
        assertThat(ahead.take(host, line -> { }, null)).as("and no longer offered").isNull();
    }

    @Test
    void aHostThatCannotBeReachedFailsTheBuildThatTakesIt() {
        ConnectionsAhead ahead = new ConnectionsAhead();
        BuildHost host = host("ssh://root@127.0.0.1:2299");
        try (ConnectionsAhead.Opened opened = ahead.open(List.of(host), new Cancellation())) {
            assertThatThrownBy(() -> ahead.take(host, line -> { }, new Cancellation()))
                    .isInstanceOf(BuildException.class)
                    .hasMessageContaining("cannot connect to ssh://root@127.0.0.1:2299");
        }
    }

    @Test
    void aCancelledTakerStopsAConnectionStillBeingOpened() throws Exception {
        // a host that takes the connection and never says a word: the opening waits until it is stopped
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = silent.accept()) {
                    Thread.sleep(30_000);
                } catch (Exception e) {
                    // the test is over
                }
            });
            ConnectionsAhead ahead = new ConnectionsAhead();
            BuildHost host = host("ssh://root@127.0.0.1:" + silent.getLocalPort());
            Cancellation taker = new Cancellation();
            try (ConnectionsAhead.Opened opened = ahead.open(List.of(host), new Cancellation())) {
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    taker.cancel();
                });
                long started = System.nanoTime();
                assertThatThrownBy(() -> ahead.take(host, line -> { }, taker))
                        .isInstanceOf(BuildException.class)
                        .hasMessageContaining("cancelled");
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                        .as("stopped, not left to time out").isLessThan(java.time.Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void aTakerCancelledBeforeItTakesGetsNoConnection() {
        ConnectionsAhead ahead = new ConnectionsAhead();
        BuildHost host = host(env.dockerHost(1));
        Cancellation taker = new Cancellation();
        taker.cancel();
        try (ConnectionsAhead.Opened opened = ahead.open(List.of(host), new Cancellation())) {
            assertThatThrownBy(() -> ahead.take(host, line -> { }, taker))
                    .isInstanceOf(BuildException.class)
                    .hasMessageContaining("cancelled");
        }
    }

    private static io.imagebuilder.imagebuild.params.RegistrySpec registry(String password) {
        return new io.imagebuilder.imagebuild.params.RegistrySpec(env.registry(),
                new io.imagebuilder.imagebuild.params.Credentials(env.registryUser(),
                        io.imagebuilder.imagebuild.params.Secret.of(password)), false);
    }

    @Test
    void theLoginCheckedAheadIsTakenWithWhatItSaid() throws Exception {
        ConnectionsAhead ahead = new ConnectionsAhead();
        List<String> log = new ArrayList<>();
        try (ConnectionsAhead.Opened opened = ahead.open(List.of(), registry(env.registryPassword()),
                new Cancellation())) {
            assertThat(ahead.takeLogin(registry("another password"), line -> { }))
                    .as("only for the same registry and credentials").isNull();
            var checked = ahead.takeLogin(registry(env.registryPassword()), log::add);
            assertThat(checked).isNotNull();
            checked.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ahead.takeLogin(registry(env.registryPassword()), line -> { })).as("taken once").isNull();
        }
        assertThat(log).containsExactly("logging in to " + env.registry() + " as " + env.registryUser(),
                "Login Succeeded");
    }

    @Test
    void aLoginRefusedAheadFailsTheBuildThatTakesIt() {
        ConnectionsAhead ahead = new ConnectionsAhead();
        try (ConnectionsAhead.Opened opened = ahead.open(List.of(), registry("wrong"), new Cancellation())) {
            var checked = ahead.takeLogin(registry("wrong"), line -> { });
            assertThatThrownBy(() -> Futures.join(checked))
                    .isInstanceOf(BuildException.class)
                    .hasMessageStartingWith("logging in to " + env.registry() + " as " + env.registryUser() + ": ");
        }
        assertThat(ahead.takeLogin(registry("wrong"), line -> { })).as("a run's end forgets what it left").isNull();
    }
}
