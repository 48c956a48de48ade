package io.imagebuilder.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor as its own process, stopped hard (kill -9) or politely (SIGTERM) in the middle of a deploy. */
class DeployProcessTest {

    @TempDir
    Path tmp;

    private Process start(Path state, Path inputs, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.imagebuilder.cli.Main", "deploy", "-i",
                inputs.toString(), "--state-dir", state.toString()));
        cmd.addAll(List.of(extra));
        cmd.add(DeployTest.resource("resume.yaml").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("executor.log").toFile()).start();
    }

    private static JsonNode waitForState(Path state, String node, String nodeState) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Path file = state.resolve("state.json");
            if (Files.exists(file)) {
                JsonNode s = new ObjectMapper().readTree(file.toFile());
                if (s.path("nodes").path(node).path("state").asText().equals(nodeState)) return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + node + " never reached " + nodeState);
    }

    /** The node's state says CREATING before ansible-runner has started its playbook; the count file says it has. */
    private static void waitForRun(Path dir, String node) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (runs(dir, node) == 0) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the create playbook of " + node + " never ran");
            Thread.sleep(100);
        }
    }

    private Path inputs(Path dir, double slow) throws IOException {
        Path inputs = tmp.resolve("inputs.yaml");
        Files.writeString(inputs, "dir: " + dir + "\nallow_file: " + tmp.resolve("allow-all") + "\nslow: " + slow
                + "\n");
        Files.writeString(tmp.resolve("allow-all"), "ok");
        return inputs;
    }

    private static int runs(Path dir, String node) throws IOException {
        Path count = dir.resolve(node + ".create.count");
        return Files.exists(count) ? Files.readAllLines(count).size() : 0;
    }

    @Test
    void killNineMidDeployThenResume() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("marks"));
        Path state = tmp.resolve("state");
        Path inputs = inputs(dir, 30);
        Process p = start(state, inputs);
        waitForState(state, "flaky", "CREATING");
        waitForRun(dir, "flaky");
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();

        JsonNode saved = new ObjectMapper().readTree(state.resolve("state.json").toFile());
        assertThat(saved.path("status").asText()).isEqualTo("DEPLOYING");
        assertThat(saved.path("nodes").path("first").path("state").asText()).isEqualTo("STARTED");
        assertThat(saved.path("nodes").path("flaky").path("state").asText()).isEqualTo("CREATING");
        killLeftovers(dir);

        Files.writeString(inputs, Files.readString(inputs).replace("slow: 30.0", "slow: 0"));
        Process resumed = start(state, inputs, "--resume");
        assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resumed.exitValue()).as(Files.readString(tmp.resolve("executor.log"))).isZero();
        assertThat(runs(dir, "first")).isEqualTo(1);
        assertThat(runs(dir, "flaky")).isEqualTo(2);
        assertThat(runs(dir, "last")).isEqualTo(1);
        JsonNode done = new ObjectMapper().readTree(state.resolve("state.json").toFile());
        assertThat(done.path("status").asText()).isEqualTo("DEPLOYED");
    }

    @Test
    void sigtermStopsRunningOperationsAndSavesTheState() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("marks"));
        Path state = tmp.resolve("state");
        Process p = start(state, inputs(dir, 60));
        waitForState(state, "flaky", "CREATING");
        waitForRun(dir, "flaky");
        Thread.sleep(500); // let the playbook reach its long task
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        JsonNode saved = new ObjectMapper().readTree(state.resolve("state.json").toFile());
        assertThat(saved.path("status").asText()).isIn("CANCELLED", "FAILED");
        assertThat(saved.path("nodes").path("flaky").path("state").asText()).isEqualTo("ERROR");
        assertThat(saved.path("nodes").path("flaky").path("error").asText()).contains("cancelled");
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("")
                .contains(dir.toString())).toList()).as("no operation process left behind").isEmpty();
    }

    /** A killed executor leaves its playbook running, as any killed parent does; a test must not leak it. */
    private static void killLeftovers(Path dir) {
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(dir.toString())
                || h.info().commandLine().orElse("").contains("sleep 30")).forEach(ProcessHandle::destroyForcibly);
    }
}
