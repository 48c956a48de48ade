package io.imagebuilder.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options reach OpenSSH as meant, by either route: as arguments (the Docker engine connections) and as the
 * shell-quoted string Ansible splits with Python's shlex. {@code ssh -G} prints the configuration ssh would use
 * without connecting.
 */
class SshOptionsTest {

    @TempDir
    Path dir;

    @Test
    void pathsWithBlanksQuotesAndPercentSignsReachSshUnchangedByEitherRoute() throws Exception {
        Path awkward = Files.createDirectories(dir.resolve("a b\"c%d 'e'"));
        SshIdentity identity = new SshIdentity(awkward.resolve("id"), awkward.resolve("known hosts"));

        Map<String, String> asArguments = effective(SshOptions.of(identity));
        Map<String, String> asAnsible = effective(shlexSplit(SshOptions.shellWords(identity)));

        for (Map<String, String> config : List.of(asArguments, asAnsible)) {
            assertThat(config).containsEntry("userknownhostsfile", identity.knownHosts().toString())
                    .containsEntry("stricthostkeychecking", "true")
                    .containsEntry("batchmode", "yes")
                    .containsEntry("identitiesonly", "yes")
                    // ssh -G prints IdentityFile before it expands %-tokens, which %% escapes
                    .containsEntry("identityfile", identity.privateKey().toString().replace("%", "%%"));
        }
    }

    @Test
    void withoutAnIdentityTheClientsDefaultsStandButTheHostKeyIsStillVerified() throws Exception {
        Map<String, String> config = effective(shlexSplit(SshOptions.shellWords(SshIdentity.DEFAULTS)));
        assertThat(config).containsEntry("stricthostkeychecking", "true").containsEntry("identitiesonly", "no");
        assertThat(SshOptions.of(SshIdentity.DEFAULTS)).noneMatch(o -> o.startsWith("IdentityFile")
                || o.startsWith("UserKnownHostsFile"));
    }

    @Test
    void anEndpointIsParsedFromDockersSshAddresses() {
        SshEndpoint e = SshEndpoint.parse("ssh://root@127.0.0.1:2221", SshIdentity.DEFAULTS);
        assertThat(e.destination()).isEqualTo("root@127.0.0.1");
        assertThat(e.port()).isEqualTo(2221);
        assertThat(SshEndpoint.parse("ssh://builder", null).port()).isEqualTo(22);
        assertThat(SshEndpoint.parse("ssh://builder", null).identity()).isEqualTo(SshIdentity.DEFAULTS);
        assertThatThrownBy(() -> SshEndpoint.parse("tcp://builder:2375", null))
                .hasMessage("\"tcp://builder:2375\" is not ssh://[user@]host[:port]");
        assertThatThrownBy(() -> SshEndpoint.parse("ssh://builder/var/run", null))
                .hasMessage("ssh://builder/var/run has a path; expected ssh://[user@]host[:port]");
        // ssh would read "-oProxyCommand=..." as an option and run the command
        assertThatThrownBy(() -> SshEndpoint.parse("ssh://-oProxyCommand=x@builder", null))
                .hasMessageContaining("must not begin with \"-\"");
    }

    @Test
    void theIdentitySaysWhichFileIsMissing() throws IOException {
        Path key = Files.writeString(dir.resolve("id"), "key");
        assertThat(new SshIdentity(key, dir.resolve("known_hosts")).problem())
                .isEqualTo("the known_hosts file " + dir.resolve("known_hosts") + " does not exist");
        assertThat(new SshIdentity(dir, null).problem()).isEqualTo("the SSH private key " + dir + " is not a file");
        assertThat(new SshIdentity(key, key).problem()).isNull();
    }

    private Map<String, String> effective(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh", "-G"));
        command.addAll(options);
        command.add("root@192.0.2.1");
        Map<String, String> config = new LinkedHashMap<>();
        for (String line : run(command).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) config.putIfAbsent(line.substring(0, space), line.substring(space + 1));
        }
        return config;
    }

    private static List<String> shlexSplit(String words) throws Exception {
        String out = run(List.of("python3", "-c",
                "import shlex, sys; sys.stdout.write('\\0'.join(shlex.split(sys.argv[1])))", words));
        return Arrays.asList(out.split("\0"));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
