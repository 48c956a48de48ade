package io.imagebuilder.deploy;

import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Playbooks on a machine reached over SSH: the loopback host of the test environment. */
class DeploySshTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    private Cli deploy(int port, Path knownHosts, Path marker) throws IOException {
        Path inputs = tmp.resolve("inputs.yaml");
        Files.writeString(inputs, "port: " + port + "\nkey: " + env.sshKey() + "\nknown_hosts: " + knownHosts
                + "\nmarker: " + marker + "\n");
        // the library is imported from the repository, the playbook from the test resources
        Path template = tmp.resolve("ssh.yaml");
        Files.writeString(template, Files.readString(DeployTest.resource("ssh.yaml"))
                .replace("LIBRARY", Path.of(System.getProperty("imagebuilder.repo"), "library").toAbsolutePath()
                        .normalize().toString())
                .replace("playbooks/remote.yml", DeployTest.resource("playbooks/remote.yml").toString()));
        return Cli.run("deploy", "-i", inputs.toString(), "--state-dir", tmp.resolve("state").toString(),
                template.toString());
    }

    @Test
    void runsThePlaybookOverSsh() throws IOException {
        Path marker = tmp.resolve("marker");
        Cli run = deploy(2221, env.knownHosts(), marker);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // sshd sets SSH_CONNECTION to "client-ip client-port server-ip server-port"
        assertThat(Files.readString(marker).trim()).startsWith("127.0.0.1 ").endsWith(" 127.0.0.1 2221");
    }

    @Test
    void anUnknownHostKeyIsRefused() throws IOException {
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        Path marker = tmp.resolve("marker");
        Cli run = deploy(2221, empty, marker);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("node \"app\"").contains("Standard.create").containsIgnoringCase("host key");
        assertThat(marker).doesNotExist();
    }

    @Test
    void anUnreachableHostFailsWithItsCause() throws IOException {
        Cli run = deploy(2299, env.knownHosts(), tmp.resolve("marker"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("node \"app\"").contains("unreachable").containsIgnoringCase("refused");
    }
}
