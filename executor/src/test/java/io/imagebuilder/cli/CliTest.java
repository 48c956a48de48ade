package io.imagebuilder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.TestTemplates;
import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.StateStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class CliTest {

    private static final Path REPO = TestTemplates.repo();
    private static final Path BLUEPRINT = REPO.resolve("blueprints/docker_image_definition.yaml");

    @TempDir
    Path dir;

    /** What a run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The example inputs files of docker_image_definition.yaml, as inputs/README.md lists them. */
    static Stream<String> definitionInputs() throws IOException {
        Pattern row = Pattern.compile("^\\| `([^`]+\\.yaml)` \\| `docker_image_definition\\.yaml` \\|");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(REPO.resolve("inputs/README.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) out.add(m.group(1));
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "inputs/{0}")
    @MethodSource("definitionInputs")
    void validateAcceptsTheBlueprintWithEachOfItsInputs(String inputs) {
        Run r = run("validate", BLUEPRINT.toString(), "-i", REPO.resolve("inputs").resolve(inputs).toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith(BLUEPRINT + " is valid: 3 nodes, ");
    }

    @Test
    void serveListensOnLoopbackUnlessToldOtherwise() {
        CommandLine serve = Main.commandLine("serve").getSubcommands().get("serve");
        assertThat(serve.getCommandSpec().findOption("--host").defaultValue()).isEqualTo("127.0.0.1");
        assertThat(new io.imagebuilder.server.ServerConfig(null, 0, null, null, null, 0, null, Path.of("state"), null,
                0, null, null, false).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void validateListsEveryProblemAndExitsWithTwo() {
        Path inputs = TestTemplates.write(dir, "bad.yaml", """
                build_params:
                  source: {}
                  target:
                    images: [ { image: x, tag: 5 } ]
                docker_hots: ssh://me@host
                """);
        Run r = run("validate", BLUEPRINT.toString(), "-i", inputs.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).contains(inputs + ":5:1: unknown input \"docker_hots\"; did you mean \"docker_host\"?");
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ problems found while rendering templates; nothing was run\\.");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void invalidTemplatesAreReportedWithLocations() {
        Path template = TestTemplates.write(dir, "t.yaml", TestTemplates.VERSION + """
                topology_template:
                  node_templates:
                    n: { type: tosca.nodes.Comptue }
                """);
        Run r = run("validate", template.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(template + ":4:16: unknown node type \"tosca.nodes.Comptue\"; did you mean "
                + "\"tosca.nodes.Compute\"?\n1 problem found while rendering templates; nothing was run.\n");
    }

    @Test
    void planAsJsonListsTheNodesInOrder() throws Exception {
        Run r = run("plan", "--format", "json", BLUEPRINT.toString(), "-i", REPO.resolve("inputs/git.yaml").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(0);
        JsonNode plan = new ObjectMapper().readTree(r.out());
        assertThat(plan.get("template").asText()).isEqualTo(BLUEPRINT.toString());
        assertThat(plan.get("nodes")).extracting(n -> n.get("name").asText())
                .containsExactly("build-host", "more-build-hosts", "image");
        JsonNode image = plan.get("nodes").get(2);
        assertThat(image.get("wave").asInt()).isEqualTo(2);
        assertThat(image.get("after")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("build-host", "more-build-hosts");
        assertThat(image.get("steps")).extracting(s -> s.get("operation").asText()).startsWith("create");
        assertThat(image.get("steps").get(1).get("operation").asText()).isEqualTo("start");
        assertThat(image.get("steps").get(1).get("inputs").get("build_params").get("target").get("registry")
                .get("url").asText()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void planAsTextByDefault() {
        Run r = run("plan", BLUEPRINT.toString(), "-i", REPO.resolve("inputs/git.yaml").toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).startsWith("Plan for " + BLUEPRINT + ": 3 nodes in 2 waves\n");
        assertThat(r.out()).contains("  image (imagebuilder.nodes.ImageDefinition), after build-host, more-build-hosts\n");
    }

    @Test
    void planMasksSecrets() {
        Path blueprint = REPO.resolve("blueprints/docker_image_with_registry.yaml");
        Path secret = TestTemplates.write(dir, "secret.yaml", "registry_password: Sup3r-Secret\n");
        Run r = run("plan", "--format", "json", blueprint.toString(), "-i",
                REPO.resolve("inputs/registry-node.yaml").toString(), "-i", secret.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out() + r.err()).doesNotContain("Sup3r-Secret");
    }

    @Test
    void badFormatIsAUsageError() {
        Run r = run("plan", "--format", "yaml", BLUEPRINT.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Invalid value for option '--format'");
    }

    static Stream<String> commands() {
        return Main.commandLine().getSubcommands().keySet().stream();
    }

    @ParameterizedTest(name = "{0} alone")
    @MethodSource("commands")
    void aCommandRunsWithOnlyItselfBuilt(String command) {
        CommandLine alone = Main.commandLine(command, "--help");
        if (command.equals("help")) {
            assertThat(alone.getSubcommands().keySet()).containsExactlyElementsOf(
                    Main.commandLine().getSubcommands().keySet());
        } else {
            assertThat(alone.getSubcommands().keySet()).containsExactly(command);
            Object userObject = alone.getSubcommands().get(command).getCommandSpec().userObject();
            assertThat(userObject.getClass().getAnnotation(CommandLine.Command.class).name()).isEqualTo(command);
        }
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("Usage: image-builder " + command);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void topLevelHelpAndVersion() {
        Run help = run("--help");
        assertThat(help.exit()).isEqualTo(0);
        assertThat(help.out()).startsWith("Usage: image-builder").contains("validate").contains("plan");
        Run version = run("--version");
        assertThat(version.exit()).isEqualTo(0);
        assertThat(version.out()).startsWith("image-builder ");
        Run helpCommand = run("help", "validate");
        assertThat(helpCommand.exit()).isEqualTo(0);
        assertThat(helpCommand.out()).contains("Usage: image-builder validate");
    }

    @Test
    void unknownOptionsGiveAShortUsageMessage() {
        Run r = run("validate", "--bogus", BLUEPRINT.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(
                "error: Unknown option: '--bogus'",
                "usage: image-builder validate [-hV] [--stacktrace] [--max-template-bytes=BYTES]",
                "                       [-i=FILE]... TEMPLATE",
                "Run 'image-builder validate --help' for more.");
    }

    @Test
    void aMissingCommandIsAUsageError() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: a command is required\n").doesNotContain("\tat ");
        Run unknown = run("dploy");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: Unmatched argument at index 0: 'dploy'").doesNotContain("\tat ");
    }

    @Test
    void aMissingTemplateIsReportedByName() {
        Path missing = dir.resolve("nope.yaml");
        Run r = run("validate", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(missing + ": file not found: " + missing + "\n"
                + "1 problem found while reading; nothing was run.\n");
    }

    @Test
    void aMissingInputsFileIsReportedByName() {
        Path missing = dir.resolve("inputs-missing.yaml");
        Run r = run("validate", BLUEPRINT.toString(), "-i", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(missing + ": file not found");
    }

    @Test
    void filesLargerThanMaxTemplateBytesAreRefusedByName() throws IOException {
        Path template = Files.writeString(dir.resolve("t.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n"
                + "topology_template:\n  node_templates:\n    n: {type: tosca.nodes.Root}\n");
        long size = Files.size(template);
        Path inputs = Files.writeString(dir.resolve("in.yaml"), "{}\n");
        assertThat(run("validate", template.toString(), "-i", inputs.toString(), "--max-template-bytes", "" + size)
                .exit()).isZero();
        Run tooSmall = run("plan", template.toString(), "--max-template-bytes", "" + (size - 1));
        assertThat(tooSmall.exit()).isEqualTo(2);
        assertThat(tooSmall.err()).startsWith(template + ": the file is " + size + " bytes long; at most "
                + (size - 1) + " are allowed (raise the limit with --max-template-bytes)\n");
        Run inputs2 = run("deploy", template.toString(), "-i", inputs.toString(), "--max-template-bytes", "2",
                "--state-dir", dir.resolve("state").toString());
        assertThat(inputs2.exit()).isEqualTo(2);
        assertThat(inputs2.err()).contains("in.yaml: the file is 3 bytes long; at most 2 are allowed");
        Path git = REPO.resolve("inputs/git.yaml");
        Run params = run("build", "--dry-run", "--max-template-bytes", "100", git.toString());
        assertThat(params.exit()).isEqualTo(2);
        assertThat(params.err()).contains("git.yaml: the file is " + Files.size(git)
                + " bytes long; at most 100 are allowed (raise the limit with --max-template-bytes)");
        Run zero = run("validate", template.toString(), "--max-template-bytes", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).startsWith("error: --max-template-bytes must be at least 1");
    }

    @Test
    void commandsThatReadADeployedTemplateAgainHonourMaxTemplateBytes() throws IOException {
        Path template = Files.writeString(dir.resolve("t.yaml"), "tosca_definitions_version: tosca_simple_yaml_1_3\n"
                + "topology_template:\n  node_templates:\n    n: {type: tosca.nodes.Root}\n");
        long size = Files.size(template);
        Path state = dir.resolve("state");
        DeploymentState deployed = new DeploymentState();
        deployed.template = template.toString();
        deployed.status = DeploymentState.Status.DEPLOYED;
        new StateStore(state).create(deployed);
        String refused = template + ": the file is " + size + " bytes long; at most " + (size - 1)
                + " are allowed (raise the limit with --max-template-bytes)";

        Run fits = run("outputs", "--state-dir", state.toString(), "--max-template-bytes", "" + size);
        assertThat(fits.exit()).as(fits.err()).isZero();
        for (List<String> command : List.of(List.of("outputs"), List.of("undeploy"), List.of("notify", "-t", "t"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--state-dir", state.toString(), "--max-template-bytes", "" + (size - 1)));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(command.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(command.toString()).startsWith(refused);
        }
        assertThat(new StateStore(state).load().orElseThrow().status).isEqualTo(DeploymentState.Status.DEPLOYED);
    }

    @Test
    void convertHonoursMaxTemplateBytes() throws IOException {
        Path params = Files.writeString(dir.resolve("params.json"), "{\"build_params\": {}}\n");
        long size = Files.size(params);
        Run r = run("convert", "--max-template-bytes", "" + (size - 1), params.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(params + ": the file is " + size + " bytes long; at most " + (size - 1)
                + " are allowed (raise the limit with --max-template-bytes)");
    }

    @Test
    void stacktraceIsPrintedOnlyOnRequest() {
        Path missing = dir.resolve("nope.yaml");
        Run plain = run("plan", missing.toString());
        assertThat(plain.err()).doesNotContain("\tat ").doesNotContain("Exception");
        Run traced = run("plan", missing.toString(), "--stacktrace");
        assertThat(traced.exit()).isEqualTo(2);
        assertThat(traced.err()).startsWith(missing + ": file not found: " + missing + "\n")
                .contains("io.imagebuilder.problem.InvalidInputException")
                .contains("\tat io.imagebuilder.");
    }

    @Test
    void exitCodesAreDocumented() {
        assertThat(Map.of("ok", ExitCodes.OK, "failed", ExitCodes.FAILED, "invalid", ExitCodes.INVALID_INPUT))
                .isEqualTo(Map.of("ok", 0, "failed", 1, "invalid", 2));
    }
}
