package io.imagebuilder.cli;

import io.imagebuilder.TestTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor as its own process, sent SIGTERM while it is still reading and checking a large input. */
class InterruptProcessTest {

    /** Far less than validating either input takes, far more than ending a process does. */
    private static final long PROMPT_SECONDS = 5;

    @TempDir
    Path tmp;

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dimagebuilder.home=" + TestTemplates.repo(), "-cp", System.getProperty("java.class.path"),
                "io.imagebuilder.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile())
                .start();
    }

    /** Waits until the command's thread is inside {@code method}, as a thread dump of the process shows it. */
    private static void waitUntilIn(Process p, String method) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            assertThat(p.isAlive()).as("the executor is running").isTrue();
            assertThat(Instant.now()).as("the executor reaches " + method).isBefore(deadline);
            Process dump = new ProcessBuilder(jcmd, String.valueOf(p.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor();
            if (threads.contains("at " + method + "(")) return;
            Thread.sleep(100);
        }
    }

    /**
     * Sends SIGTERM once the command is inside {@code method}, and checks that it ended at once, before its run began
     * ({@code state}, the state directory it would create, is absent).
     */
    private void assertEndsAtOnceOnSigterm(Process p, String method, Path state) throws Exception {
        waitUntilIn(p, method);
        assertThat(p.isAlive()).as("still checking the input when SIGTERM is sent").isTrue();
        Instant sent = Instant.now();
        p.destroy();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        Duration took = Duration.between(sent, Instant.now());
        if (!ended) p.destroyForcibly().waitFor();
        assertThat(took).as(output()).isLessThan(Duration.ofSeconds(PROMPT_SECONDS));
        assertThat(p.exitValue()).isEqualTo(143);
        assertThat(output()).isEqualTo("interrupted\n");
        assertThat(state).as("the run never began").doesNotExist();
    }

    private String output() throws IOException {
        return Files.readString(tmp.resolve("out.log"));
    }

    /** Many node templates, each with a computed property: slow to check, and nothing in it is wrong. */
    private Path largeTemplate() throws IOException {
        StringBuilder t = new StringBuilder("""
                tosca_definitions_version: tosca_simple_yaml_1_3
                node_types:
                  Component:
                    derived_from: tosca.nodes.Root
                    properties:
                      name: {type: string}
                      url: {type: string}
                topology_template:
                  inputs:
                    domain: {type: string, default: example.org}
                  node_templates:
                """);
        for (int i = 0; i < 60_000; i++) {
            t.append("    c").append(i).append(":\n      type: Component\n      properties:\n        name: c")
                    .append(i).append("\n        url: {concat: [\"http://\", {get_property: [SELF, name]}, \".\", ")
                    .append("{get_input: domain}]}\n");
            if (i > 0) t.append("      requirements:\n        - dependency: c").append(i - 1).append('\n');
        }
        return Files.writeString(tmp.resolve("large.yaml"), t);
    }

    @Test
    void deployEndsAtOnceWhenInterruptedWhileCheckingItsInput() throws Exception {
        Path state = tmp.resolve("state");
        Process p = start("deploy", "--state-dir", state.toString(), largeTemplate().toString());
        assertEndsAtOnceOnSigterm(p, "io.imagebuilder.ImageBuilder.deploy", state);
    }

    @Test
    void buildEndsAtOnceWhenInterruptedWhileCheckingItsInput() throws Exception {
        StringBuilder params = new StringBuilder("""
                build_params:
                  source:
                    git_repo:
                      url: file:///nonexistent/app.git
                  target:
                    images:
                      - image: examples/app
                        tag: latest
                    registry:
                      url: 127.0.0.1:1
                  labels:
                """);
        for (int i = 0; i < 600_000; i++) params.append("    label").append(i).append(": value").append(i).append('\n');
        params.append("docker_host: ssh://nobody@127.0.0.1:1\n");
        Path file = Files.writeString(tmp.resolve("params.yaml"), params);
        Path state = tmp.resolve("state");
        Process p = start("build", "--state-dir", state.toString(), file.toString());
        assertEndsAtOnceOnSigterm(p, "io.imagebuilder.ImageBuilder.build", state);
    }
}
