package io.imagebuilder.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** notify running policy triggers, as shell scripts, on a real deployment kept in a state directory. */
class NotifyTest {

    @TempDir
    Path tmp;
    Path dir;
    Path state;
    Path inputs;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(tmp.resolve("marks"));
        state = tmp.resolve("state");
        inputs = Files.writeString(tmp.resolve("inputs.yaml"), "dir: " + dir + "\n");
    }

    private Cli cli(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(1, List.of("--state-dir", state.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    private void deploy() {
        Cli run = cli("deploy", "-i", inputs.toString(), DeployTest.resource("notify/template.yaml").toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private JsonNode outputs() throws IOException {
        Cli run = cli("outputs", "--format", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    private List<String> notifications() throws IOException {
        Path file = dir.resolve("notifications");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void runsTheTriggerOnEveryTargetEachTimeWithTheNotificationAndRecordsWhatItSets() throws IOException {
        deploy();
        Path notification = Files.writeString(tmp.resolve("load.json"), "{\"cpu_load\": 95}");

        Cli byEvent = cli("notify", "--event", "more", "--notification", notification.toString());
        assertThat(byEvent.exitCode()).as(byEvent.toString()).isZero();
        assertThat(byEvent.out()).contains("ran counting.add on one (trigger bump of policy counts)")
                .contains("ran counting.add on two (trigger bump of policy counts)");
        assertThat(outputs().path("one").asText()).isEqualTo("5"); // the policy's step, through SELF
        assertThat(outputs().path("two").asText()).isEqualTo("5");

        Cli byName = cli("notify", "--trigger", "bump");
        assertThat(byName.exitCode()).as(byName.toString()).isZero();
        assertThat(outputs().path("one").asText()).as("a trigger runs again whenever asked").isEqualTo("10");
        assertThat(notifications()).containsExactly("{\"cpu_load\": 95}", "{\"cpu_load\": 95}",
                "no notification", "no notification");
    }

    @Test
    void stopsAtTheFirstFailingOperationAndExitsWithOne() throws IOException {
        deploy();
        Cli run = cli("notify", "-t", "broken");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED counting.fail on one").contains("the counter is stuck");
        // each activity runs on every target before the next: add on both, then fail on the first, then nothing
        assertThat(outputs().path("one").asText()).isEqualTo("1");
        assertThat(outputs().path("two").asText()).isEqualTo("1");
        JsonNode node = new ObjectMapper().readTree(state.resolve("state.json").toFile()).path("nodes").path("one");
        assertThat(node.path("state").asText()).isEqualTo("ERROR");
        assertThat(node.path("lastOperation").asText()).isEqualTo("counting.fail");
        assertThat(node.path("completed").toString()).doesNotContain("counting");
    }

    @Test
    void refusesAnUnknownTriggerAConflictingNotificationAndATopologyThatIsNotDeployed() throws IOException {
        Cli before = cli("notify", "-t", "bump");
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(2);
        assertThat(before.err()).contains("no deployment here");

        deploy();
        Cli unknown = cli("notify", "-t", "bmup");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("no trigger or event is named \"bmup\"; the template has bump (event "
                + "more), bump_then_fail (event broken), noisy (event noise)").contains("nothing was run");

        Path notification = Files.writeString(tmp.resolve("n.json"), "{}");
        Cli conflict = cli("notify", "-t", "noisy", "-n", notification.toString());
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(2);
        assertThat(conflict.err()).contains("node \"one\" operation counting.add has an input named "
                + "\"notification\", which holds the notification file's contents when one is given");
        assertThat(notifications()).as("nothing ran").isEmpty();

        Cli undeploy = cli("undeploy");
        assertThat(undeploy.exitCode()).as(undeploy.toString()).isZero();
        Cli after = cli("notify", "-t", "bump");
        assertThat(after.exitCode()).as(after.toString()).isEqualTo(2);
        assertThat(after.err()).contains("the deployment recorded here is undeployed, not deployed");
        assertThat(notifications()).isEmpty();
    }
}
