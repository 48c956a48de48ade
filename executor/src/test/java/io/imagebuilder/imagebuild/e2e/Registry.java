package io.imagebuilder.imagebuild.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.testenv.TestEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Reads manifests straight from the loopback registry's HTTP API, to check what a build pushed. */
record Registry(TestEnvironment env) {

    static final String LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String IMAGE = "application/vnd.docker.distribution.manifest.v2+json";
    /** Artifacts such as attached provenance are OCI manifests; the registry hides them from clients not asking. */
    static final String OCI_IMAGE = "application/vnd.oci.image.manifest.v1+json";

    /** A manifest as the registry serves it, with the digest it reports. */
    record Manifest(int status, String digest, JsonNode body) {
        String mediaType() {
            return body.path("mediaType").asText();
        }
    }

    /** A blob (layer or image configuration) by digest. */
    byte[] blob(String repository, String digest) throws Exception {
        URI uri = URI.create("http://" + env.registry() + "/v2/" + repository + "/blobs/" + digest);
        HttpResponse<byte[]> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(uri + " answered " + r.statusCode());
        return r.body();
    }

    private String basic() {
        return Base64.getEncoder().encodeToString((env.registryUser() + ":" + env.registryPassword())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes a manifest by digest (the loopback registry allows it); returns the registry's status. */
    int delete(String repository, String digest) throws Exception {
        URI uri = URI.create("http://" + env.registry() + "/v2/" + repository + "/manifests/" + digest);
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(uri).DELETE().header("Authorization", "Basic " + basic()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    Manifest manifest(String repository, String reference) throws Exception {
        URI uri = URI.create("http://" + env.registry() + "/v2/" + repository + "/manifests/" + reference);
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic())
                        .header("Accept", LIST + ", " + IMAGE + ", " + OCI_IMAGE).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()) : null;
        return new Manifest(r.statusCode(), r.headers().firstValue("Docker-Content-Digest").orElse(null), body);
    }
}
