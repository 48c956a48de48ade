package io.imagebuilder.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blueprints written after the shapes of xOpera's public examples (each file names the one it follows), deployed
 * end to end with ansible-runner on the local machine, as a new user coming from xOpera would run them.
 */
class XoperaShapesTest {

    @TempDir
    Path tmp;

    private static Path blueprint(String shape) {
        try {
            return Path.of(XoperaShapesTest.class.getResource("/compat/" + shape + "/service.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path state() {
        return tmp.resolve("state");
    }

    /** Deploys with {@code dir} (a fresh directory the playbooks write to) as an input when the shape takes it. */
    private Cli deploy(String shape, boolean withDir) throws IOException {
        List<String> args = new ArrayList<>(List.of("deploy", "--state-dir", state().toString()));
        if (withDir) {
            Path inputs = tmp.resolve("inputs.yaml");
            Files.writeString(inputs, "dir: " + Files.createDirectories(tmp.resolve("out")) + "\n");
            args.addAll(List.of("-i", inputs.toString()));
        }
        args.add(blueprint(shape).toString());
        Cli run = Cli.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private JsonNode outputs() throws IOException {
        Cli outputs = Cli.run("outputs", "--state-dir", state().toString(), "--format", "json");
        assertThat(outputs.exitCode()).as(outputs.toString()).isZero();
        return new ObjectMapper().readTree(outputs.out());
    }

    /** Undeploys, which must end with every node deleted. */
    private void undeploy() {
        Cli run = Cli.run("undeploy", "--state-dir", state().toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(": undeployed, started");
    }

    private String written(String file) throws IOException {
        return Files.readString(tmp.resolve("out").resolve(file));
    }

    @Test
    void helloGivesInterfaceInputsToEveryOperationOfTheInterface() throws IOException {
        deploy("hello", true);
        // the create operation's own input overrides the template's interface input, which overrides the type's
        assertThat(written("hello.txt")).isEqualTo("default-marker hello from the create operation");
        assertThat(outputs().path("created_with").asText()).isEqualTo("default-marker");

        undeploy();
        assertThat(written("deleted.txt")).isEqualTo("default-marker hello from the template");
    }

    @Test
    void attributeMappingSetsAttributesFromOperationOutputs() throws IOException {
        deploy("attribute_mapping", true);
        assertThat(written("teaches.txt")).isEqualTo("student-1\nstudent-3\n");
        assertThat(outputs().path("student_id_list").toString()).isEqualTo("[\"student-1\",\"student-3\"]");
        undeploy();
    }

    @Test
    void toscaFunctionsResolveInInterfaceInputsOfNodeAndRelationshipTypes() throws IOException {
        deploy("tosca_functions", true);
        assertThat(written("hello3.txt")).isEqualTo("""
                attribute1 property2 attribute3 property3
                attribute_rel property_rel attribute_host property_host
                """);
        assertThat(written("relationship.txt")).isEqualTo("""
                attribute_rel default | property_rel default
                attribute2 property2 attribute1 property1
                """);
        undeploy();
    }

    @Test
    void capabilityAttributesAndPropertiesReachOperations() throws IOException {
        deploy("capability_attributes_properties", false);
        JsonNode out = outputs();
        assertThat(out.path("output_cap_attr").asText()).isEqualTo("some_attribute");
        assertThat(out.path("output_cap_prop").asText()).isEqualTo("some_property");
        assertThat(out.path("output_req_attr").asText()).isEqualTo("some_attribute_of_the_target");
        assertThat(out.path("output_req_prop").asText()).isEqualTo("some_property_of_the_target");
        undeploy();
    }

    @Test
    void intrinsicFunctionOutputsShowTheirValuesAndOnlySecretsAreMasked() throws IOException {
        Cli run = deploy("intrinsic_functions", false);
        JsonNode out = outputs();
        assertThat(out.path("concat_output").asText()).isEqualTo("http://attribute1:property1");
        assertThat(out.path("join1_output").asText()).isEqualTo("tosca");
        assertThat(out.path("join2_output").asText()).isEqualTo("t_o_s_c_a");
        assertThat(out.path("join3_output").asText()).isEqualTo("input, attribute2, property2");
        assertThat(out.path("token1_output").asText()).isEqualTo("111");
        assertThat(out.path("token2_output").asText()).isEqualTo("s");
        assertThat(out.path("attribute").asText()).isEqualTo("Attribute: property");
        assertThat(out.path("property").asText()).isEqualTo("Property: attribute");
        assertThat(out.path("secret_token_output").asText()).isEqualTo("****");
        assertThat(out.path("token_of_secret").asText()).isEqualTo("****");
        assertThat(run.out() + out).doesNotContain("tok-1234-secret").doesNotContain("1234");
        undeploy();
    }

    @Test
    void relationshipOperationsSetAttributesOfTheRelationshipTemplate() throws IOException {
        deploy("relationship_outputs", false);
        JsonNode out = outputs();
        assertThat(out.path("output_node_attribute").asText()).isEqualTo("Node attribute set by create");
        assertThat(out.path("output_relationship_attribute").asText()).isEqualTo("Relationship attribute");
        assertThat(out.path("output_relationship_property").asText()).isEqualTo("Relationship property");
        assertThat(out.path("output_pre_configure_source_attribute").asText())
                .isEqualTo("set by pre_configure_source");
        assertThat(out.path("output_post_configure_source_attribute").asText())
                .isEqualTo("Relationship attribute / Relationship property");
        assertThat(out.path("output_post_configure_source_input_attribute").asText()).isEqualTo("Relationship input");
        assertThat(out.path("output_post_configure_source_txt_file_attribute").asText())
                .isEqualTo("contents of the dependency");
        assertThat(out.path("output_post_configure_target_attribute").asText())
                .isEqualTo("set by post_configure_target");
        undeploy();
    }

    @Test
    void artifactsOfTheTypeAndTheTemplateAreGivenToTheOperation() throws IOException {
        deploy("artifacts", true);
        JsonNode out = outputs();
        assertThat(out.path("output_attr").asText()).isEqualTo("from the type's artifact");
        assertThat(out.path("output_json").asText()).isEqualTo("the template");
        // placed in the directory the template chose, and removed after the operation as it asked
        assertThat(out.path("output_placed").asText()).isEqualTo(tmp.resolve("out").resolve("file.json").toString());
        assertThat(tmp.resolve("out").resolve("file.json")).doesNotExist();
        undeploy();
    }

    @Test
    void artifactsAreCopiedToTheSshHostWhereTheOperationRuns() throws IOException, InterruptedException {
        TestEnvironment env = TestEnvironment.load();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path inputs = Files.writeString(tmp.resolve("inputs.yaml"), "dir: " + out + "\nport: 2221\nkey: "
                + env.sshKey() + "\nknown_hosts: " + env.knownHosts() + "\n");
        Cli deploy = Cli.run("deploy", "--state-dir", state().toString(), "-i", inputs.toString(),
                blueprint("artifacts_ssh").toString());
        JsonNode paths = null;
        try {
            assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
            JsonNode outputs = outputs();
            paths = outputs.path("output_paths");
            // the playbook read these on the host, at the paths get_artifact gave it
            assertThat(outputs.path("output_attr").asText()).isEqualTo("from the type's artifact");
            assertThat(outputs.path("output_json").asText()).isEqualTo("the template");
            assertThat(outputs.path("output_kept").asText()).isEqualTo("from the type's artifact");

            String home = ssh(env, "printenv", "HOME").trim();
            String deployment = home + "/.image-builder-artifacts/" + new ObjectMapper()
                    .readTree(state().resolve("state.json").toFile()).path("id").asText();
            assertThat(paths.path("file").asText()).isEqualTo(deployment + "/artifacts_file/file/file.txt");
            assertThat(paths.path("json").asText()).isEqualTo(deployment + "/artifacts_file/json/file.json");
            assertThat(outputs.path("output_directory_mode").asText()).isEqualTo("0700");
            assertThat(ssh(env, "stat", "-c", "%a", deployment, home + "/.image-builder-artifacts"))
                    .isEqualTo("700\n700\n");
            // without remove the copies stay on the host; with it the copy is gone once the operation is over
            assertThat(ssh(env, "cat", paths.path("file").asText(), paths.path("kept").asText()))
                    .isEqualTo("from the type's artifact\nfrom the type's artifact\n");
            assertThat(paths.path("kept").asText()).isEqualTo(out.resolve("kept.txt").toString());
            assertThat(paths.path("placed").asText()).isEqualTo(out.resolve("file.json").toString());
            ssh(env, "test", "!", "-e", paths.path("placed").asText());
            undeploy();
        } finally {
            if (paths != null && paths.path("file").isTextual()) {
                ssh(env, "rm", "-r", Path.of(paths.path("file").asText()).getParent().getParent().getParent()
                        .toString());
            }
        }
    }

    /** Runs a command on the loopback SSH host and returns what it printed; it must succeed. */
    private static String ssh(TestEnvironment env, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("ssh", "-p", "2221", "-i", env.sshKey().toString(),
                "-o", "UserKnownHostsFile=" + env.knownHosts(), "-o", "StrictHostKeyChecking=yes",
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "root@127.0.0.1", "--"));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(args + ": " + printed).isZero();
        return printed;
    }

    @Test
    void policyTriggersShowInThePlanAndRunOnTheDeployedVmWithNotify() throws IOException {
        Path inputs = Files.writeString(tmp.resolve("inputs.yaml"), "dir: "
                + Files.createDirectories(tmp.resolve("out")) + "\n");
        Cli validate = Cli.run("validate", "-i", inputs.toString(), blueprint("policy_triggers").toString());
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        Cli plan = Cli.run("plan", "-i", inputs.toString(), blueprint("policy_triggers").toString());
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("""
                  compat.triggers.scaling.ScaleUp (policy scale_up, event scale_up_trigger) on vm
                    condition: not(and(available_instances greater_than 42, available_space greater_than 1000))
                    - vm scaling_up.scale_up  playbooks/scale_up.yaml
                         adjustment: 2
                """).contains("""
                    - vm autoscaling.retrieve_info  playbooks/retrieve_info.yaml
                """).contains("condition: not(and(available_instances greater_than 42, available_space "
                + "greater_than 1000)), period 60 s, 2 evaluations, method average");

        deploy("policy_triggers", true);
        Path notification = Files.writeString(tmp.resolve("notification.json"), "{\"cpu_load\": 95}");
        // by event, as xOpera's notify -e; then by trigger name
        notify("--event", "scale_up_trigger", "--notification", notification.toString());
        assertThat(outputs().path("instances").asText()).isEqualTo("3");
        notify("--trigger", "compat.triggers.scaling.ScaleDown");
        assertThat(outputs().path("instances").asText()).isEqualTo("2");
        Cli auto = notify("--trigger", "auto_scale_trigger");
        assertThat(auto.out()).contains("ran autoscaling.retrieve_info on vm").contains("ran autoscaling.autoscale on vm");
        JsonNode out = outputs();
        assertThat(out.path("instances").asText()).as("raised to the policy's min_size").isEqualTo("3");
        assertThat(out.path("available_instances").asInt()).isEqualTo(40);
        assertThat(written("scaling.log")).isEqualTo("""
                created with 1 instance
                scale_up by 2: 1 -> 3 (cpu_load 95)
                scale_down by 1: 3 -> 2 (cpu_load unknown)
                retrieve_info: 40 instances available
                autoscale within [3, 7] with 40 available: 2 -> 3
                """);

        Cli unknown = Cli.run("notify", "--state-dir", state().toString(), "--trigger", "scale_sideways");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("compat.triggers.scaling.ScaleUp (event scale_up_trigger)");

        undeploy();
        assertThat(tmp.resolve("out").resolve("scaling.log")).doesNotExist();
    }

    private Cli notify(String... args) {
        List<String> all = new ArrayList<>(List.of("notify", "--state-dir", state().toString()));
        all.addAll(List.of(args));
        Cli run = Cli.run(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    @Test
    void nginxOnAVmSetsUpTheSiteOverSshAndReadsAttributesThroughHostRequirements() throws IOException {
        TestEnvironment env = TestEnvironment.load();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path inputs = Files.writeString(tmp.resolve("inputs.yaml"), "dir: " + out + "\nport: 2221\nkey: "
                + env.sshKey() + "\nknown_hosts: " + env.knownHosts() + "\n");
        Cli deploy = Cli.run("deploy", "--state-dir", state().toString(), "-i", inputs.toString(),
                blueprint("nginx_openstack").toString());
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();

        JsonNode outputs = outputs();
        assertThat(outputs.path("vm_id").asText()).isEqualTo("nginx_host-1");
        assertThat(outputs.path("vm_address").asText()).isEqualTo("127.0.0.1");
        // nginx was installed over SSH, on the address the VM's create published
        assertThat(outputs.path("served_from").asText()).startsWith("127.0.0.1 ").endsWith(" 127.0.0.1 2221");
        Path sites = out.resolve("sites-enabled");
        assertThat(outputs.path("site_config_dir").asText()).isEqualTo(sites.toString());
        assertThat(sites.resolve("site.conf")).exists();
        // post_configure_target read [ TARGET, host, id ]: the id of the VM that hosts nginx
        assertThat(Files.readString(sites.resolve("opera.mark"))).isEqualTo("nginx_host-1");
        assertThat(written("cloud.log")).startsWith("create nginx_host image=9ea4856a-32b2-4553-b408-cfa4cb1bb40b ");

        undeploy();
        assertThat(sites).doesNotExist();
        assertThat(written("cloud.log")).endsWith("delete nginx_host-1\n");
    }
}
