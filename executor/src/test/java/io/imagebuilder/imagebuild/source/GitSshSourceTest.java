package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.ssh.SshIdentity;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Git over SSH against the loopback build host's sshd (scripts/testenv.sh), with the caller's key and known_hosts
 * only: host keys are checked strictly and ~/.ssh is left alone.
 */
class GitSshSourceTest {

    @TempDir
    Path base;

    private TestEnvironment env;
    private String url;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void createRepository() throws Exception {
        env = TestEnvironment.load();
        try (TestRepo repo = TestRepo.create(base.resolve("project"))) {
            repo.write("Dockerfile", "FROM over-ssh\n").write("app/Dockerfile", "FROM app\n").commit("first");
            repo.tag("v1");
            Path bare = repo.bareCopy(base.resolve("remote.git"));
            // sshd runs as root on this machine, so it reads the repository where the test made it
            url = "ssh://root@" + sshAuthority() + bare.toAbsolutePath();
        }
    }

    /** 127.0.0.1:2221, from IB_TEST_DOCKER_HOST_1 (ssh://root@127.0.0.1:2221). */
    private String sshAuthority() {
        String host = env.dockerHost(1);
        return host.substring(host.indexOf('@') + 1);
    }

    private FetchedSource fetch(String version, SshIdentity ssh) throws Exception {
        Path work = Files.createTempDirectory(base, "work");
        return new FetchSourceStep(log, new Cancellation(), ssh, SourceLimits.DEFAULT)
                .run(new Source.Git(url, version, Credentials.NONE, null, null), work);
    }

    @Test
    void cloneWithTheGivenKeyAndKnownHosts() throws Exception {
        Map<Path, Long> sshDirBefore = userSshDirectory();

        FetchedSource fetched = fetch("v1", new SshIdentity(env.sshKey(), env.knownHosts()));

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM over-ssh\n");
        assertThat(log.lines()).contains("cloning " + url + " (version v1)");
        assertThat(userSshDirectory()).isEqualTo(sshDirBefore);
    }

    @Test
    void headOverSsh() throws Exception {
        assertThat(Files.readString(fetch(null, new SshIdentity(env.sshKey(), env.knownHosts())).dockerfile()))
                .isEqualTo("FROM over-ssh\n");
    }

    @Test
    void unknownHostKeyFailsHostKeyVerification() throws Exception {
        Path emptyKnownHosts = Files.createFile(base.resolve("known_hosts"));
        Map<Path, Long> sshDirBefore = userSshDirectory();

        assertThatThrownBy(() -> fetch(null, new SshIdentity(env.sshKey(), emptyKnownHosts)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("host key verification failed for " + sshAuthority())
                .hasMessageContaining("is not listed in the known_hosts file " + emptyKnownHosts);
        // never accepted as a new key
        assertThat(Files.readString(emptyKnownHosts)).isEmpty();
        assertThat(userSshDirectory()).isEqualTo(sshDirBefore);
    }

    @Test
    void aMissingKnownHostsFileIsNamedAsMissing() {
        Path missing = base.resolve("no-such-known_hosts");
        assertThatThrownBy(() -> fetch(null, new SshIdentity(env.sshKey(), missing)))
                .isInstanceOf(SourceException.class)
                .hasMessageEndingWith(": the known_hosts file " + missing + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void changedHostKeyFailsHostKeyVerification() throws Exception {
        // the client's public key stands in for a host key the server does not have
        String otherKey = Files.readString(Path.of(env.sshKey() + ".pub")).trim();
        Path knownHosts = Files.writeString(base.resolve("known_hosts"),
                "[127.0.0.1]:" + sshAuthority().substring(sshAuthority().indexOf(':') + 1) + " " + otherKey + "\n");

        assertThatThrownBy(() -> fetch(null, new SshIdentity(env.sshKey(), knownHosts)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("host key verification failed")
                .hasMessageContaining("differs from the one listed");
    }

    @Test
    void keyTheServerDoesNotKnowFailsAuthentication() throws Exception {
        Path key = base.resolve("other_key");
        ProcessRunner.run(ProcessRunner.command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()),
                null, base, null, LineSink.DISCARD, LineSink.DISCARD, Duration.ofMinutes(1), null);
        assertThat(key).exists();

        assertThatThrownBy(() -> fetch(null, new SshIdentity(key, env.knownHosts())))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("authentication failed for " + url);
    }

    /** Every file under ~/.ssh with its modification time; empty when there is no such directory. */
    private static Map<Path, Long> userSshDirectory() throws IOException {
        Path dir = Path.of(System.getProperty("user.home"), ".ssh");
        Map<Path, Long> files = new TreeMap<>();
        if (!Files.exists(dir)) return files;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) files.put(p, Files.getLastModifiedTime(p).toMillis());
        }
        return files;
    }

}
