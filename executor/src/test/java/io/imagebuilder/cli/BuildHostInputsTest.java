package io.imagebuilder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.ImageBuilder;
import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagebuild.BuildRequest;
import io.imagebuilder.imagenode.BuildHostInputs;
import io.imagebuilder.imagenode.BuildService;
import io.imagebuilder.server.jobs.RequestFiles;
import io.imagebuilder.server.request.DeploymentRequest;
import io.imagebuilder.server.request.Submission;
import io.imagebuilder.testenv.TestEnvironment;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The same build host options give the image blueprints the same inputs, and every engine the same settings,
 * whichever way they come: the build command's options, or serve's for a build (POST /builds) and a deployment
 * (POST /deployments) of either bundled blueprint.
 */
class BuildHostInputsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMS = """
            {"source": {"git_repo": {"url": "https://git.example.org/app.git"}},
             "target": {"images": [{"image": "examples/app", "tag": "v1"}]%s}}""";
    private static final String REGISTRY = ", \"registry\": {\"url\": \"127.0.0.1:5000\", \"insecure\": true}";

    private final TestEnvironment env = TestEnvironment.load();

    @TempDir
    Path dir;

    private List<String> options() {
        return List.of("--docker-host", env.dockerHost(1), "--docker-host", env.dockerHost(2),
                "--ssh-key", env.sshKey().toString(), "--known-hosts", env.knownHosts().toString(),
                "--docker-client", env.dockerClient(), "--network", "none",
                "--platform", "linux/amd64", "--platform", "linux/arm64",
                "--git-ssh-key", env.sshKey().toString(), "--git-known-hosts", env.knownHosts().toString(),
                "--max-concurrent-builds", "3", "--max-dockerfile-bytes", "4096", "--max-context-bytes", "65536");
    }

    @Test
    void theBuildCommandAndTheServersBuildsAndDeploymentsGiveTheSameInputs() throws Exception {
        // the build command
        Path file = Files.writeString(dir.resolve("params.json"), PARAMS.formatted(REGISTRY));
        BuildCommand build = command("build", file.toString());
        BuildService service = new BuildService(Path.of(""), null);
        BuildRequest cliRequest = build.request();
        Map<String, Object> cli = hostInputs(service.inputs(cliRequest).toPlain());
        Topology cliTopology = service.validate(cliRequest);

        // the server, as serve configures it; a build request's own build host inputs are ignored
        BuildHostSettings server = this.<ServeCommand>command("serve").settings();
        byte[] buildBody = ("{\"build_params\": " + PARAMS.formatted(REGISTRY) + ", \"docker_host\": "
                + "\"ssh://root@elsewhere:22\", \"max_concurrent_builds\": 9, \"build_hosts\": []}")
                .getBytes(StandardCharsets.UTF_8);
        BuildRequest serverRequest = RequestFiles.request(dir.resolve("build/request.json"),
                Submission.parse(buildBody).buildFile(), server, null);
        Map<String, Object> serverBuild = hostInputs(service.inputs(serverRequest).toPlain());
        Topology serverBuildTopology = service.validate(serverRequest);

        DeploymentRequest deployment = DeploymentRequest.parse(("{\"blueprint\": \"docker_image_definition\", "
                + "\"inputs\": {\"build_params\": " + PARAMS.formatted(REGISTRY) + "}}")
                .getBytes(StandardCharsets.UTF_8));
        Path deploymentInputs = RequestFiles.write(dir.resolve("deployment"), deployment.inputsFile(server));
        Map<String, Object> serverDeployment = hostInputs(JSON.readValue(deploymentInputs.toFile(), Map.class));
        Topology deploymentTopology = new ImageBuilder(Path.of("")).validate(deployment.template(),
                List.of(deploymentInputs));

        DeploymentRequest withRegistry = DeploymentRequest.parse(("{\"blueprint\": \"docker_image_with_registry\", "
                + "\"inputs\": {\"build_params\": " + PARAMS.formatted("") + ", \"registry_url\": "
                + "\"127.0.0.1:5000\"}}").getBytes(StandardCharsets.UTF_8));
        Path registryInputs = RequestFiles.write(dir.resolve("registry"), withRegistry.inputsFile(server));
        Topology registryTopology = new ImageBuilder(Path.of("")).validate(withRegistry.template(),
                List.of(registryInputs));

        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("ssh_private_key", env.sshKey().toAbsolutePath().normalize().toString());
        engine.put("known_hosts", env.knownHosts().toAbsolutePath().normalize().toString());
        engine.put("docker_client", env.dockerClient());
        engine.put("build_network", "none");
        engine.put("max_concurrent_builds", 3);
        engine.put("platforms", List.of("linux/amd64", "linux/arm64"));
        Map<String, Object> second = new TreeMap<>(engine);
        second.put("docker_host", env.dockerHost(2));
        Map<String, Object> expected = new TreeMap<>(engine);
        expected.put("docker_host", env.dockerHost(1));
        expected.put("git_ssh_private_key", env.sshKey().toAbsolutePath().normalize().toString());
        expected.put("git_known_hosts", env.knownHosts().toAbsolutePath().normalize().toString());
        expected.put("max_dockerfile_bytes", 4096);
        expected.put("max_context_bytes", 65536);
        expected.put("build_hosts", List.of(second));
        assertThat(cli).isEqualTo(normal(expected));
        assertThat(serverBuild).as("a server build").isEqualTo(cli);
        assertThat(serverDeployment).as("a server deployment").isEqualTo(cli);

        // what the blueprints make of them: every engine with every setting, the image with the source limits
        Map<String, Object> first = new TreeMap<>(engine);
        first.put("docker_host", env.dockerHost(1));
        List<Object> engines = normal(List.of(first, second));
        for (Topology t : List.of(cliTopology, serverBuildTopology, deploymentTopology, registryTopology)) {
            assertThat(engines(t)).isEqualTo(engines);
            assertThat(plain(t.node("image").properties().get("max_dockerfile_bytes"))).isEqualTo(4096L);
            assertThat(plain(t.node("image").properties().get("max_context_bytes"))).isEqualTo(65536L);
        }
    }

    @Test
    void settingsThatCannotBeUsedAreUsageErrors() {
        CliTest.Run twice = CliTest.run("build", "--docker-host", env.dockerHost(1), "--docker-host",
                env.dockerHost(1), "params.json");
        assertThat(twice.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(twice.err()).contains("docker host " + env.dockerHost(1) + " is given twice");
        CliTest.Run none = CliTest.run("serve", "--max-concurrent-builds", "0", "--state-dir", dir.toString());
        assertThat(none.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(none.err()).contains("--max-concurrent-builds must be 1 or more");
        assertThat(dir).isEmptyDirectory();
    }

    @SuppressWarnings("unchecked")
    private <T> T command(String name, String... more) {
        List<String> args = new ArrayList<>(List.of(name));
        args.addAll(options());
        args.addAll(List.of(more));
        CommandLine cl = Main.commandLine(args.toArray(String[]::new));
        cl.parseArgs(args.toArray(String[]::new));
        return (T) cl.getSubcommands().get(name).getCommand();
    }

    /** The build host inputs among {@code inputs}, as JSON would give them back. */
    private static Map<String, Object> hostInputs(Object inputs) {
        Map<String, Object> out = new TreeMap<>();
        ((Map<?, ?>) inputs).forEach((k, v) -> {
            if (BuildHostInputs.NAMES.contains(String.valueOf(k))) out.put(String.valueOf(k), v);
        });
        return normal(out);
    }

    /** The settings of the build-host node and of each engine of the more-build-hosts node. */
    private static List<Object> engines(Topology t) {
        List<Object> out = new ArrayList<>();
        Map<String, Object> first = new TreeMap<>();
        t.node("build-host").properties().forEach((k, v) -> first.put(k, plain(v)));
        out.add(first);
        out.addAll((List<?>) plain(t.node("more-build-hosts").properties().get("hosts")));
        return normal(out);
    }

    private static Object plain(YNode node) {
        return node == null ? null : node.toPlain();
    }

    /** One type for each number, and sorted keys, so that values from YAML and from JSON compare. */
    @SuppressWarnings("unchecked")
    private static <T> T normal(T value) {
        try {
            return (T) JSON.readValue(JSON.writeValueAsString(value), Object.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
