package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.ssh.SshIdentity;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection to a build host's engine over SSH, against the loopback hosts. */
class EngineConnectionTest {

    private static TestEnvironment env;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    private static BuildHost host(String dockerHost, Path knownHosts) {
        return new BuildHost(dockerHost, new SshIdentity(env.sshKey(), knownHosts), env.dockerClient(),
                List.of(Platform.parse("linux/amd64")), 1, "none");
    }

    @Test
    void forwardsTheRemoteEngineThroughOneSshConnection() throws Exception {
        Path privateDir;
        try (EngineConnection c = EngineConnection.open(host(env.dockerHost(2), env.knownHosts()), LineSink.DISCARD,
                new Cancellation())) {
            assertThat(c.dockerHost()).startsWith("unix:///").endsWith("/engine.sock");
            privateDir = c.configDirectory().getParent();
            DockerCli docker = new DockerCli(ClientCapabilities.detect(env.dockerClient()), c, new Cancellation());
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                out.clear();
                docker.require("info", List.of("info", "--format", "{{index .Labels 0}}"), null, out::add);
                assertThat(out).containsExactly("io.imagebuilder.testenv.host=2");
            }
            assertThat(Files.getPosixFilePermissions(privateDir)).hasSize(3); // rwx for the owner only
        }
        assertThat(privateDir).doesNotExist();
    }

    @Test
    void theEngineIsProbedOverTheForwardedSocketAndSaysWhatTheDockerClientSays() throws Exception {
        try (EngineConnection c = EngineConnection.open(host(env.dockerHost(1), env.knownHosts()), LineSink.DISCARD,
                new Cancellation())) {
            DockerCli docker = new DockerCli(ClientCapabilities.detect(env.dockerClient()), c, new Cancellation());
            assertThat(docker.get("/version", java.time.Duration.ofSeconds(10))).isNotNull();
            HostProbe probe = HostProbe.run(docker);
            List<String> out = new ArrayList<>();
            docker.require("version", List.of("version", "--format",
                    "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}"), null, out::add);
            assertThat(probe.engineVersion() + " " + probe.platform()).isEqualTo(out.get(out.size() - 1).trim());
            assertThat(probe.platform()).isEqualTo(Platform.parse("linux/amd64"));
        }
    }

    @Test
    void anUnknownHostKeyIsRefused(@TempDir Path tmp) throws Exception {
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        assertThatThrownBy(() -> EngineConnection.open(host(env.dockerHost(1), empty), LineSink.DISCARD,
                new Cancellation()).close())
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("cannot connect to ssh://root@127.0.0.1:2221")
                .hasMessageContaining("Host key verification failed");
    }

    @Test
    void aMissingKnownHostsFileIsNamedAsMissing(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-such-known_hosts");
        assertThatThrownBy(() -> EngineConnection.open(host(env.dockerHost(1), missing), LineSink.DISCARD,
                new Cancellation()).close())
                .isInstanceOf(BuildException.class)
                .hasMessage("cannot connect to ssh://root@127.0.0.1:2221: the known_hosts file " + missing
                        + " does not exist");
    }

    @Test
    void anUnreachableHostNamesTheCause() {
        assertThatThrownBy(() -> EngineConnection.open(host("ssh://root@127.0.0.1:2299", env.knownHosts()),
                LineSink.DISCARD, new Cancellation()).close())
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("Connection refused");
    }
}
