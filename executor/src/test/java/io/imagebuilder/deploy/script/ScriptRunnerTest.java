package io.imagebuilder.deploy.script;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.tosca.topology.Implementation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs real shell scripts. */
class ScriptRunnerTest {

    private static final Duration GENEROUS = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    private Path project;
    private Path workDir;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final ScriptRunner runner = new ScriptRunner();

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectory(tmp.resolve("project"));
        workDir = Files.createDirectory(tmp.resolve("work"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void handlesShellScriptsOnly() {
        assertThat(runner.handles("scripts/create.sh")).isTrue();
        assertThat(runner.handles("create.yml")).isFalse();
        assertThat(runner.handles("builtin:docker-build")).isFalse();
    }

    @Test
    void inputsAreEnvironmentVariablesAndOutputsFileLinesAreAttributes() throws Exception {
        script("create.sh", """
                echo "creating for $who"
                echo "greeting=hello $who" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "count=$count" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "names=$names" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "settings=$settings" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "nothing=[$nothing]" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "equation=a=b" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "mode=$(stat -c %a "$IMAGE_BUILDER_OUTPUTS")" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "cwd=$(pwd)" >> "$IMAGE_BUILDER_OUTPUTS"
                echo "quoted=$quoted" >> "$IMAGE_BUILDER_OUTPUTS"
                """);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("who", "world");
        inputs.put("count", 3L);
        inputs.put("names", List.of("a", "b"));
        inputs.put("settings", Map.of("k", true));
        inputs.put("nothing", null);
        inputs.put("quoted", "it's \"$HOME\" `x` $(y)");

        OperationResult result = runner.run(request("create.sh", inputs, HostConnection.LOCAL, GENEROUS, null));

        assertThat(result.attributes())
                .containsEntry("greeting", "hello world")
                .containsEntry("count", "3")
                .containsEntry("names", "[\"a\",\"b\"]")
                .containsEntry("settings", "{\"k\":true}")
                .containsEntry("nothing", "[]")
                .containsEntry("equation", "a=b")
                .containsEntry("mode", "600")
                .containsEntry("cwd", workDir.toRealPath().toString())
                .containsEntry("quoted", "it's \"$HOME\" `x` $(y)");
        assertThat(result.outputs()).isEqualTo(result.attributes());
        assertThat(output).contains("creating for world");
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left).as("the outputs file is deleted").isEmpty();
        }
    }

    @Test
    void scriptWithoutOutputsGivesNone() throws Exception {
        script("quiet.sh", "true\n");

        OperationResult result = runner.run(request("quiet.sh", Map.of(), HostConnection.LOCAL, GENEROUS, null));

        assertThat(result.attributes()).isEmpty();
        assertThat(result.outputs()).isEmpty();
    }

    @Test
    void nonZeroExitStatusFailsWithTheLastErrorLine() throws Exception {
        script("fail.sh", """
                echo "starting"
                echo "first problem" >&2
                echo "disk full" >&2
                echo "" >&2
                exit 3
                """);

        assertThatThrownBy(() -> runner.run(request("fail.sh", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("node \"web\", operation Standard.create: script fail.sh exited with status 3: disk full");
        assertThat(output).contains("starting", "first problem", "disk full");
    }

    @Test
    void malformedOutputsLineFailsWithoutShowingIt() throws Exception {
        script("bad.sh", "echo 'just-a-secret-value' >> \"$IMAGE_BUILDER_OUTPUTS\"\n");

        assertThatThrownBy(() -> runner.run(request("bad.sh", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("line 1 of $IMAGE_BUILDER_OUTPUTS")
                .hasMessageNotContaining("just-a-secret-value");
    }

    @Test
    void timeoutStopsTheScriptAndItsChildren() throws Exception {
        String marker = "ib-script-timeout-" + UUID.randomUUID();
        Path script = script("slow.sh", "sh -c 'sleep 60; true' " + marker + "\n");
        long start = System.nanoTime();

        assertThatThrownBy(() -> runner.run(request("slow.sh", Map.of(), HostConnection.LOCAL,
                Duration.ofSeconds(2), null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("timed out after 2 s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertNoProcessMentions(script.toString(), marker);
    }

    @Test
    void cancellationFromAnotherThreadStopsTheScript() throws Exception {
        String marker = "ib-script-cancel-" + UUID.randomUUID();
        Path script = script("slow.sh", "echo started\nsh -c 'sleep 60; true' " + marker + "\n");
        Cancellation cancellation = new Cancellation();
        CompletableFuture<OperationResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(request("slow.sh", Map.of(), HostConnection.LOCAL, GENEROUS, cancellation));
            } catch (OperationFailedException e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!output.contains("started") && System.nanoTime() < deadline) Thread.sleep(50);

        cancellation.cancel();

        assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .rootCause()
                .isInstanceOf(OperationFailedException.class)
                .hasMessageEndingWith(": cancelled");
        assertNoProcessMentions(script.toString(), marker);
    }

    @Test
    void remoteHostIsRefusedBeforeAnythingRuns() throws Exception {
        Path ran = tmp.resolve("ran");
        script("create.sh", "touch '" + ran + "'\n");
        HostConnection remote = HostConnection.ssh("192.0.2.10", 22, "root", null, null);

        assertThatThrownBy(() -> runner.run(request("create.sh", Map.of(), remote, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("cannot run on root@192.0.2.10:22")
                .hasMessageContaining("local machine only");
        assertThat(ran).doesNotExist();
    }

    @Test
    void missingScriptIsReported() {
        assertThatThrownBy(() -> runner.run(request("gone.sh", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("script not found: " + project.resolve("gone.sh"));
    }

    @Test
    void environmentValuesOfPlainTypes() {
        assertThat(ScriptRunner.environmentValue(null)).isEmpty();
        assertThat(ScriptRunner.environmentValue(true)).isEqualTo("true");
        assertThat(ScriptRunner.environmentValue(2.5)).isEqualTo("2.5");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThat(ScriptRunner.environmentValue(List.of(withNull))).isEqualTo("[{\"a\":null}]");
    }

    // ---------------------------------------------------------------------------------------------------------

    private Path script(String name, String content) throws IOException {
        return Files.writeString(project.resolve(name), content);
    }

    private OperationRequest request(String primary, Map<String, Object> inputs, HostConnection host,
                                     Duration timeout, Cancellation cancellation) {
        return new OperationRequest("web", "Standard.create",
                new Implementation(primary, List.of(), null, project.toString()), inputs, host, workDir,
                output::add, timeout, cancellation);
    }

    private static void assertNoProcessMentions(String... texts) throws InterruptedException {
        List<String> left = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            left.clear();
            ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(p -> {
                String cmdline = cmdline(p);
                for (String t : texts) {
                    if (cmdline.contains(t)) left.add(p.pid() + ": " + cmdline);
                }
            });
            if (left.isEmpty()) return;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("processes left running").isEmpty();
    }

    private static String cmdline(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
