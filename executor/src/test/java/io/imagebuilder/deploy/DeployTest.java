package io.imagebuilder.deploy;

import io.imagebuilder.testenv.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Real deployments of playbooks through ansible-runner against the local machine. */
class DeployTest {

    private static final String SECRET = "s3cret-Hunter2";

    @TempDir
    Path tmp;
    Path dir;
    Path state;
    Path inputs;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(tmp.resolve("marks"));
        state = tmp.resolve("state");
        inputs = tmp.resolve("inputs.yaml");
    }

    static Path resource(String name) {
        try {
            return Path.of(DeployTest.class.getResource("/deploy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Cli deploy(String template, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("deploy", "-i", inputs.toString(), "--state-dir",
                state.toString()));
        args.addAll(List.of(extra));
        args.add(resource(template).toString());
        return Cli.run(args.toArray(String[]::new));
    }

    private double time(String node, String op, String edge) throws IOException {
        return Double.parseDouble(Files.readString(dir.resolve(node + "." + op + "." + edge)).trim());
    }

    private int runs(String node, String op) throws IOException {
        Path count = dir.resolve(node + "." + op + ".count");
        return Files.exists(count) ? Files.readAllLines(count).size() : 0;
    }

    private JsonNode stateJson() throws IOException {
        return new ObjectMapper().readTree(state.resolve("state.json").toFile());
    }

    @Test
    void deploysInDependencyOrderAndRunsIndependentNodesConcurrently() throws IOException {
        Files.writeString(inputs, "dir: " + dir + "\nsleep: 2\npassword: " + SECRET + "\n");
        Cli run = deploy("template.yaml", "--workers", "4");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(java.nio.file.Files.getPosixFilePermissions(state)).as("the state directory is private")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        for (String n : List.of("a", "b", "c", "d")) {
            assertThat(time(n, "create", "start")).isGreaterThanOrEqualTo(time("base", "create", "end"));
        }
        double latestStart = Stream.of("a", "b", "c", "d").mapToDouble(n -> uncheckedTime(n, "start")).max()
                .orElseThrow();
        double earliestEnd = Stream.of("a", "b", "c", "d").mapToDouble(n -> uncheckedTime(n, "end")).min()
                .orElseThrow();
        assertThat(latestStart).as("all four ran at the same time").isLessThan(earliestEnd);
        JsonNode nodes = stateJson().path("nodes");
        assertThat(stateJson().path("status").asText()).isEqualTo("DEPLOYED");
        for (String n : List.of("base", "a", "b", "c", "d", "top")) {
            assertThat(nodes.path(n).path("state").asText()).isEqualTo("STARTED");
        }
    }

    @Test
    void oneWorkerRunsNodesOneAtATime() throws IOException {
        Files.writeString(inputs, "dir: " + dir + "\nsleep: 0.5\npassword: " + SECRET + "\n");
        Cli run = deploy("template.yaml");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> order = List.of("a", "b", "c", "d");
        for (int i = 1; i < order.size(); i++) {
            assertThat(time(order.get(i), "create", "start")).isGreaterThanOrEqualTo(
                    time(order.get(i - 1), "create", "end"));
        }
    }

    @Test
    void attributesAndOperationOutputsFlowBetweenNodesAndSecretsStayHidden() throws IOException {
        Files.writeString(inputs, "dir: " + dir + "\npassword: " + SECRET + "\n");
        Cli run = deploy("template.yaml", "--workers", "2");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        assertThat(Files.readString(dir.resolve("consumer.received")))
                .contains("attribute=http://base:8080")
                .contains("output=http://base:8080")
                .contains("secret=" + SECRET); // the playbook itself gets the real value
        assertThat(run.out()).contains("[top Standard.configure]").contains("the password is ****")
                .doesNotContain(SECRET);
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET);
            }
        }
        assertThat(state.resolve("logs/top/Standard.configure.log")).content().contains("the password is ****");

        Cli outputs = Cli.run("outputs", "--state-dir", state.toString(), "--format", "json");
        assertThat(outputs.exitCode()).as(outputs.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(outputs.out());
        assertThat(json.path("base_endpoint").asText()).isEqualTo("http://base:8080");
        assertThat(json.path("password_echo").asText()).isEqualTo("****");
    }

    @Test
    void aFailureStopsNewWorkAndResumeContinuesWhereItStopped() throws IOException {
        Path allow = tmp.resolve("allow");
        Files.writeString(inputs, "dir: " + dir + "\nallow_file: " + allow + "\n");
        Cli first = deploy("resume.yaml");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
        assertThat(first.out()).contains("error: node \"flaky\", operation Standard.create: playbook "
                + "playbooks/record.yml failed: task \"fail unless allowed\": flaky is not allowed to create yet");
        JsonNode nodes = stateJson().path("nodes");
        assertThat(stateJson().path("status").asText()).isEqualTo("FAILED");
        assertThat(nodes.path("flaky").path("state").asText()).isEqualTo("ERROR");
        assertThat(nodes.path("flaky").path("lastOperation").asText()).isEqualTo("Standard.create");
        assertThat(nodes.path("flaky").path("error").asText()).contains("flaky is not allowed to create yet");
        assertThat(nodes.path("last").path("state").asText()).isEqualTo("INITIAL");
        assertThat(runs("last", "create")).isZero();

        Cli again = deploy("resume.yaml");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.err()).contains("unfinished deployment").contains("--resume");

        Files.writeString(allow, "ok");
        Cli resumed = deploy("resume.yaml", "--resume");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(runs("first", "create")).isEqualTo(1);
        assertThat(runs("side", "create")).isEqualTo(1);
        assertThat(runs("flaky", "create")).isEqualTo(2);
        assertThat(runs("last", "create")).isEqualTo(1);
        assertThat(stateJson().path("status").asText()).isEqualTo("DEPLOYED");

        Cli status = Cli.run("status", "--state-dir", state.toString());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("deployed").containsPattern("flaky\\s+started\\s+Standard.create");
    }

    @Test
    void anOperationTimeoutLimitsOperationsThatSetNone() throws IOException {
        Path allow = Files.writeString(tmp.resolve("allow"), "ok");
        Files.writeString(inputs, "dir: " + dir + "\nallow_file: " + allow + "\nslow: 120\n");
        // long enough for a quick playbook on a busy machine; the slow one waits 120 s
        Cli run = deploy("resume.yaml", "--operation-timeout", "15");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("error: node \"flaky\", operation Standard.create: timed out after 15 s");
        assertThat(runs("first", "create")).as("a quick operation is not limited").isEqualTo(1);
        assertThat(stateJson().path("nodes").path("flaky").path("error").asText()).contains("timed out after 15 s");
    }

    @Test
    void anOperationTimeoutMustBePositive() throws IOException {
        Files.writeString(inputs, "dir: " + dir + "\nallow_file: " + tmp.resolve("allow") + "\n");
        Cli run = deploy("resume.yaml", "--operation-timeout", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--operation-timeout must be at least 1 second, got 0");
        assertThat(state).as("nothing ran").doesNotExist();
    }

    @Test
    void undeployDeletesDependentsFirst() throws IOException {
        Files.writeString(inputs, "dir: " + dir + "\npassword: " + SECRET + "\n");
        assertThat(deploy("template.yaml").exitCode()).isZero();
        Cli run = Cli.run("undeploy", "--state-dir", state.toString(), "--workers", "2");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (String n : List.of("a", "b", "c", "d")) {
            assertThat(time(n, "delete", "end")).isLessThanOrEqualTo(time("base", "delete", "start"));
        }
        JsonNode s = stateJson();
        assertThat(s.path("status").asText()).isEqualTo("UNDEPLOYED");
        assertThat(s.path("nodes").path("base").path("state").asText()).isEqualTo("DELETED");
        assertThat(deploy("template.yaml").exitCode()).as("an undeployed template deploys again").isZero();
    }

    @Test
    void aMissingPlaybookFailsTheRunAndNamesNodeAndOperation() throws IOException {
        Path template = tmp.resolve("missing.yaml");
        Files.writeString(template, """
                tosca_definitions_version: tosca_simple_yaml_1_3
                topology_template:
                  node_templates:
                    lonely:
                      type: tosca.nodes.Root
                      interfaces:
                        Standard:
                          create: playbooks/not-there.yml
                """);
        Cli run = Cli.run("deploy", "--state-dir", state.toString(), template.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("lonely").contains("Standard.create").contains("not-there.yml");
        assertThat(stateJson().path("nodes").path("lonely").path("state").asText()).isEqualTo("ERROR");
    }

    private double uncheckedTime(String node, String edge) {
        try {
            return time(node, "create", edge);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
