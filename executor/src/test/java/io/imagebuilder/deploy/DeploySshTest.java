package io.imagebuilder.deploy;

import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        return deploy("ssh.yaml", connection(port, knownHosts, marker));
    }

    /** Inputs of both test templates: how to reach the loopback host, and the file its playbook writes. */
    private static String connection(int port, Path knownHosts, Path marker) {
        return "port: " + port + "\nkey: " + env.sshKey() + "\nknown_hosts: " + knownHosts + "\nmarker: " + marker
                + "\n";
    }

    private Cli deploy(String template, String inputs) throws IOException {
        return run("deploy", template, inputs);
    }

    /** Runs {@code command} on a test template with the library imported from the repository. */
    private Cli run(String command, String template, String inputs) throws IOException {
        Path inputsFile = Files.writeString(tmp.resolve("inputs.yaml"), inputs);
        Path copy = tmp.resolve(template);
        Files.writeString(copy, Files.readString(DeployTest.resource(template))
                .replace("LIBRARY", Path.of(System.getProperty("imagebuilder.repo"), "library").toAbsolutePath()
                        .normalize().toString())
                .replace("playbooks/", DeployTest.resource("playbooks") + "/"));
        return command.equals("validate") ? Cli.run("validate", "-i", inputsFile.toString(), copy.toString())
                : Cli.run(command, "-i", inputsFile.toString(), "--state-dir", state().toString(), copy.toString());
    }

    private Path state() {
        return tmp.resolve("state");
    }

    /** A value that creates {@code file} when Ansible evaluates it as a template. */
    private static String pipe(Path file) {
        return "{{ lookup('pipe', 'touch " + file + "') }}";
    }

    /** {@code file} copied with its mode into {@code dir}, which is created. */
    private static Path copy(Path file, Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
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

    @Test
    void templatesInTheKeyAndKnownHostsPathsAreNeverEvaluated() throws IOException {
        Path pwned = Files.createDirectory(tmp.resolve("pwned"));
        // the real key and known hosts, in directories named like templates that would create files in "pwned"
        Path key = copy(env.sshKey(), tmp.resolve(pipe(pwned.resolve("key"))));
        Path knownHosts = copy(env.knownHosts(), tmp.resolve(pipe(pwned.resolve("known_hosts"))));
        Path marker = tmp.resolve("marker");
        Cli run = deploy("ssh.yaml", "port: 2221\nkey: \"" + key + "\"\nknown_hosts: \"" + knownHosts
                + "\"\nmarker: " + marker + "\n");
        assertThat(pwned).as(run.toString()).isEmptyDirectory();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(marker).trim()).endsWith(" 127.0.0.1 2221");
    }

    @Test
    void anAddressOrUserHoldingATemplateIsRefusedBeforeAnythingRuns() throws IOException {
        Path pwned = Files.createDirectory(tmp.resolve("pwned"));
        Path marker = tmp.resolve("marker");
        String common = connection(2221, env.knownHosts(), marker);

        Cli address = deploy("ssh.yaml", common + "address: \"" + pipe(pwned.resolve("address")) + "\"\n");
        assertThat(address.exitCode()).as(address.toString()).isEqualTo(2);
        assertThat(address.err()).contains("inputs.yaml:5:10: node \"machine\" property address: expected a host "
                + "name or an IPv4 or IPv6 address, got the string \"" + pipe(pwned.resolve("address")) + "\"");

        Cli user = deploy("ssh.yaml", common + "user: \"" + pipe(pwned.resolve("user")) + "\"\n");
        assertThat(user.exitCode()).as(user.toString()).isEqualTo(2);
        assertThat(user.err()).contains("inputs.yaml:5:7: node \"machine\" property ssh_user: expected a user name");

        Cli validate = run("validate", "ssh.yaml", common + "user: \"root; id\"\n");
        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(2);
        assertThat(validate.err()).contains("inputs.yaml:5:7: node \"machine\" property ssh_user: expected a user "
                + "name (up to 32 letters, digits, '_', '.' and '-', not starting with '-'), got the string "
                + "\"root; id\"");

        assertThat(pwned).isEmptyDirectory();
        assertThat(marker).doesNotExist();
        assertThat(state()).as("nothing ran").doesNotExist();
    }

    @Test
    void anAddressSetAtRunTimeIsUsed() throws IOException {
        Path marker = tmp.resolve("marker");
        Cli run = deploy("runtime-address.yaml", "address: 127.0.0.1\n" + connection(2221, env.knownHosts(), marker));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(marker).trim()).endsWith(" 127.0.0.1 2221");
    }

    @Test
    void anAddressSetAtRunTimeHoldingATemplateFailsTheOperationBeforeItRuns() throws IOException {
        Path pwned = Files.createDirectory(tmp.resolve("pwned"));
        Path marker = tmp.resolve("marker");
        String payload = pipe(pwned.resolve("address"));
        Cli run = deploy("runtime-address.yaml", "address: \"" + payload + "\"\n"
                + connection(2221, env.knownHosts(), marker));
        assertThat(pwned).as(run.toString()).isEmptyDirectory();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("node \"app\", operation Standard.create: cannot reach its host: node "
                + "\"machine\" attribute public_address: expected a host name or an IPv4 or IPv6 address, got the "
                + "string \"" + payload + "\"");
        assertThat(marker).doesNotExist();
    }
}
