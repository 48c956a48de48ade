package io.imagebuilder.testenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The environment every build test stands on: engines reached over SSH, an authenticated registry, base images. */
class LoopbackEnvironmentTest {

    private static TestEnvironment env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void everyHostAnswersDockerOverSsh() throws Exception {
        int hosts = Integer.parseInt(env.get("IB_TEST_HOSTS"));
        assertThat(hosts).isGreaterThanOrEqualTo(2);
        for (int i = 1; i <= hosts; i++) {
            String out = dockerOverSsh(env.dockerHost(i), "info", "--format", "{{index .Labels 0}}");
            assertThat(out.trim()).isEqualTo("io.imagebuilder.testenv.host=" + i);
        }
    }

    @Test
    void registryRequiresCredentials() throws Exception {
        URI v2 = URI.create("http://" + env.registry() + "/v2/");
        HttpResponse<Void> anonymous = http.send(HttpRequest.newBuilder(v2).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<Void> authenticated = http.send(authorized(v2).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(authenticated.statusCode()).isEqualTo(200);
    }

    @Test
    void baseImageIsAManifestListForAmd64AndArm64() throws Exception {
        String image = env.baseImage().substring(env.registry().length() + 1);
        String repo = image.substring(0, image.lastIndexOf(':'));
        String tag = image.substring(image.lastIndexOf(':') + 1);
        URI uri = URI.create("http://" + env.registry() + "/v2/" + repo + "/manifests/" + tag);
        HttpResponse<String> r = http.send(authorized(uri)
                .header("Accept", "application/vnd.docker.distribution.manifest.list.v2+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = new ObjectMapper().readTree(r.body());
        assertThat(list.path("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(list.path("manifests").findValuesAsText("architecture")).containsExactlyInAnyOrder("amd64", "arm64");
    }

    @Test
    void arm64ContainersRunUnderEmulation() throws Exception {
        String out = dockerOverSsh(env.dockerHost(1), "run", "--rm", "--network", "none", "--platform",
                "linux/arm64", env.baseImage() + "-arm64", "uname", "-m");
        assertThat(out.trim()).isEqualTo("aarch64");
    }

    private HttpRequest.Builder authorized(URI uri) {
        String basic = Base64.getEncoder().encodeToString((env.registryUser() + ":" + env.registryPassword())
                .getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic);
    }

    private static String dockerOverSsh(String dockerHost, String... args) throws Exception {
        CommandLine cmd = new CommandLine(env.dockerClient());
        for (String a : args) cmd.addArgument(a, false);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("DOCKER_HOST", dockerHost);
        environment.put("PATH", env.dir().resolve("bin") + ":" + System.getenv("PATH"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(new PumpStreamHandler(out, System.err));
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(Duration.ofSeconds(60)).get());
        executor.execute(cmd, environment);
        return out.toString(StandardCharsets.UTF_8);
    }
}
