package io.imagebuilder.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.imagebuilder.client.api.DefaultApi;
import io.imagebuilder.client.model.Accepted;
import io.imagebuilder.client.model.Build;
import io.imagebuilder.client.model.GetBuildLog200Response;
import io.imagebuilder.client.model.GetBuildLog200ResponseLinesInner;
import io.imagebuilder.client.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client generated from the server's openapi.yaml, and nothing else, submits a real build to a real server,
 * follows it to its end and reads what it pushed and its log. Answers with a field the document does not declare
 * fail to read: the client is strict where generated clients are lenient by default.
 */
class GeneratedClientIT {

    private static final String KEY = "generated-client-key-0123456789";
    private static final String IMAGE = "tests/generated-client";

    @TempDir
    Path tmp;

    @Test
    void aBuildIsSubmittedFollowedAndReadWithTheGeneratedClient() throws Exception {
        Loopback env = Loopback.load();
        String tag = Long.toString(System.currentTimeMillis(), 36);
        try (ServerUnderTest server = ServerUnderTest.start(tmp, env, KEY)) {
            DefaultApi api = new DefaultApi(client(server, null));
            Accepted accepted = api.submitBuild(Map.of(
                    "build_params", Map.of(
                            "source", Map.of("dockerfile", Map.of("url", env.dockerfileUrl())),
                            "target", Map.of(
                                    "images", List.of(Map.of("image", IMAGE, "tag", tag)),
                                    "registry", Map.of("url", env.registry(), "username", env.registryUser(),
                                            "insecure", true))),
                    "registry_password", env.registryPassword()), null, null);
            assertThat(accepted.getStatus()).isEqualTo(Status.QUEUED);
            assertThat(accepted.getLinks().getSelf()).isEqualTo("/builds/" + accepted.getId());

            Build build = api.getBuild(accepted.getId(), null);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (build.getStatus() == Status.QUEUED || build.getStatus() == Status.RUNNING) {
                assertThat(System.nanoTime()).as("the build ends: " + build).isLessThan(deadline);
                Thread.sleep(250);
                build = api.getBuild(accepted.getId(), null);
            }
            assertThat(build.getStatus()).as(build + "\n" + server.output()).isEqualTo(Status.SUCCEEDED);
            assertThat(build.getError()).isNull();
            assertThat(build.getRequested()).singleElement().satisfies(r -> {
                assertThat(r.getImage()).isEqualTo(IMAGE);
                assertThat(r.getTag()).isEqualTo(tag);
            });
            assertThat(build.getImages()).hasSize(1);
            Map<String, Object> image = build.getImages().get(0);
            assertThat(image.get("reference")).isEqualTo(env.registry() + "/" + IMAGE + ":" + tag);
            assertThat(image.get("digest")).as("the digest the registry holds for the tag")
                    .isEqualTo(registryDigest(env, tag));

            // the log endpoint answers text, events or JSON; this client asks for JSON, the form it can read
            DefaultApi logs = new DefaultApi(client(server, "application/json"));
            GetBuildLog200Response log = logs.getBuildLog(accepted.getId(), null, null, null);
            assertThat(log.getComplete()).isTrue();
            assertThat(log.getStatus()).isEqualTo(Status.SUCCEEDED);
            List<GetBuildLog200ResponseLinesInner> lines = log.getLines();
            assertThat(lines.get(0).getLine()).isEqualTo(1);
            assertThat(lines.get(0).getText()).startsWith("build " + accepted.getId() + " started by ");
            assertThat(lines.get(0).getTime()).isNotNull();
            assertThat(lines.get(lines.size() - 1).getText()).isEqualTo("build succeeded");
            assertThat(log.getLastLine()).isEqualTo(lines.get(lines.size() - 1).getLine());
            assertThat(lines).noneMatch(l -> l.getText().contains(env.registryPassword()));
        }
    }

    /** A client of the server with the API key on every request (the native library leaves headers to it). */
    private static io.imagebuilder.client.ApiClient client(ServerUnderTest server, String accept) {
        io.imagebuilder.client.ApiClient client = new io.imagebuilder.client.ApiClient();
        client.updateBaseUri(server.baseUri());
        client.getObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setRequestInterceptor(request -> {
            request.setHeader("X-API-Key", KEY);
            if (accept != null) request.setHeader("Accept", accept);
        });
        return client;
    }

    /** What the registry itself says the tag's manifest digest is. */
    private static String registryDigest(Loopback env, String tag) throws Exception {
        String basic = Base64.getEncoder().encodeToString((env.registryUser() + ":" + env.registryPassword())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                        + env.registry() + "/v2/" + IMAGE + "/manifests/" + tag)).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()).header("Authorization", "Basic " + basic)
                .header("Accept", "application/vnd.docker.distribution.manifest.list.v2+json, "
                        + "application/vnd.docker.distribution.manifest.v2+json, "
                        + "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).as("the registry has " + IMAGE + ":" + tag).isEqualTo(200);
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }
}
