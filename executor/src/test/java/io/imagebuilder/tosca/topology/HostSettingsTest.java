package io.imagebuilder.tosca.topology;

import static io.imagebuilder.TestTemplates.VERSION;
import static io.imagebuilder.TestTemplates.invalid;
import static io.imagebuilder.TestTemplates.load;
import static io.imagebuilder.TestTemplates.messages;
import static io.imagebuilder.TestTemplates.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.InvalidInputException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSettingsTest {

    private static final String MACHINE = VERSION + """
            node_types:
              test.Machine:
                derived_from: tosca.nodes.Compute
                properties:
                  address: {type: string, required: false}
                  ssh_user: {type: string, required: false}
                  ssh_port: {type: integer, required: false}
            topology_template:
              inputs:
                addr: {type: string, default: localhost}
                user: {type: string, default: root}
              node_templates:
                machine:
                  type: test.Machine
                  properties:
                    address: {get_input: addr}
                    ssh_user: {get_input: user}
            """;

    @TempDir
    Path dir;

    @Test
    void anAddressFromTheInputsIsCheckedWhereTheInputsGiveIt() {
        write(dir, "t.yaml", MACHINE);
        write(dir, "in.yaml", "addr: \"{{ lookup('pipe', 'id') }}\"\n");
        InvalidInputException e = invalid(dir, "t.yaml", "in.yaml");
        assertThat(e.phase()).isEqualTo("building the topology");
        assertThat(messages(e)).containsExactly("in.yaml:1:7: node \"machine\" property address: expected a host "
                + "name or an IPv4 or IPv6 address, got the string \"{{ lookup('pipe', 'id') }}\"");
    }

    @Test
    void aUserFromTheInputsIsChecked() {
        write(dir, "t.yaml", MACHINE);
        write(dir, "in.yaml", "addr: 10.0.0.1\nuser: \"-oProxyCommand=id\"\n");
        assertThat(messages(invalid(dir, "t.yaml", "in.yaml"))).containsExactly("in.yaml:2:7: node \"machine\" "
                + "property ssh_user: expected a user name (up to 32 letters, digits, '_', '.' and '-', not starting "
                + "with '-'), got the string \"-oProxyCommand=id\"");
    }

    @Test
    void valuesWrittenInTheTemplateAndAttributesAreChecked() {
        write(dir, "t.yaml", VERSION + """
                node_types:
                  test.Machine:
                    derived_from: tosca.nodes.Compute
                    properties:
                      ssh_port: {type: integer}
                topology_template:
                  node_templates:
                    machine:
                      type: test.Machine
                      properties:
                        ssh_port: 70000
                      attributes:
                        private_address: "10.0.0.1 -oProxyCommand=id"
                """);
        assertThat(messages(invalid(dir, "t.yaml"))).containsExactly(
                "t.yaml:12:19: node \"machine\" property ssh_port: expected an integer from 1 to 65535, got the "
                        + "integer 70000",
                "t.yaml:14:26: node \"machine\" attribute private_address: expected a host name or an IPv4 or IPv6 "
                        + "address, got the string \"10.0.0.1 -oProxyCommand=id\"");
    }

    @Test
    void secretValuesAreNotShown() {
        write(dir, "t.yaml", MACHINE.replace("user: {type: string, default: root}", "login_secret: {type: string}")
                .replace("{get_input: user}", "{get_input: login_secret}"));
        write(dir, "in.yaml", "login_secret: \"x y\"\n");
        assertThat(messages(invalid(dir, "t.yaml", "in.yaml"))).singleElement().asString()
                .endsWith("property ssh_user: expected a user name (up to 32 letters, digits, '_', '.' and '-', not "
                        + "starting with '-'), got a secret value").doesNotContain("x y");
    }

    @Test
    void goodValuesAndValuesKnownOnlyAtRunTimePass() {
        write(dir, "t.yaml", MACHINE.replace("address: {get_input: addr}",
                "address: {get_attribute: [SELF, public_address]}"));
        write(dir, "in.yaml", "user: deploy_user-1.x\n");
        assertThat(load(dir, "t.yaml", "in.yaml").node("machine").properties().get("ssh_user").toPlain())
                .isEqualTo("deploy_user-1.x");
        write(dir, "t.yaml", MACHINE);
        write(dir, "in.yaml", "addr: build-1.example.com\nuser: \"\"\n");
        assertThat(load(dir, "t.yaml", "in.yaml").nodes()).containsKey("machine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "build-1.example.com", "host_1", "a.b-c.d", "10.0.0.1", "0.0.0.0",
            "255.255.255.255", "::1", "::", "2001:db8::1", "2001:db8:0:0:0:0:2:1", "fe80::1:2:3:4:5:6",
            "::ffff:192.0.2.1", "1:2:3:4:5:6:192.0.2.1"})
    void addresses(String address) {
        assertThat(HostSettings.problem("address", address)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{ lookup('pipe', 'id') }}", "host name", "-oProxyCommand=id", "host;id", "a..b",
            ".example.com", "-host", "host-", "1.2.3", "10.0.0.256", "010.0.0.1", "1.2.3.4.5", "[::1]", "fe80::1%eth0",
            "1:2:3:4:5:6:7:8:9", "1::2::3", "1:::2", ":1:2:3:4:5:6:7", "1.2.3.4::", "12345::", "::g",
            "user@host", "host:22", "host\n"})
    void notAddresses(String address) {
        assertThat(HostSettings.problem("public_address", address))
                .isEqualTo("expected a host name or an IPv4 or IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "deploy_user", "ci-bot", "user.name", "1user", "_svc"})
    void users(String user) {
        assertThat(HostSettings.problem("ssh_user", user)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-l", "root user", "root@host", "{{ x }}", "r$", "abcdefghijklmnopqrstuvwxyz1234567"})
    void notUsers(String user) {
        assertThat(HostSettings.problem("ssh_user", user)).startsWith("expected a user name");
    }

    @Test
    void ports() {
        assertThat(HostSettings.problem("ssh_port", 22L)).isNull();
        assertThat(HostSettings.problem("ssh_port", "65535")).isNull();
        assertThat(HostSettings.problem("ssh_port", 0L)).isEqualTo("expected an integer from 1 to 65535");
        assertThat(HostSettings.problem("ssh_port", 65536L)).isNotNull();
        assertThat(HostSettings.problem("ssh_port", "22 -oProxyCommand=id")).isNotNull();
        assertThat(HostSettings.problem("ssh_port", 22.5)).isNotNull();
        assertThat(HostSettings.problem("ssh_port", "")).isNotNull();
    }

    @Test
    void pathsMayHoldAnything() {
        assertThat(HostSettings.problem("ssh_private_key", "/keys/{{ x }}/id 'quoted'")).isNull();
        assertThat(HostSettings.problem("ssh_known_hosts", "known hosts;$(id)")).isNull();
    }
}
