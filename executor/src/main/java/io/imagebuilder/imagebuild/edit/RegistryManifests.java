package io.imagebuilder.imagebuild.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.imagebuild.params.Credentials;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads manifests from a registry's HTTP API (distribution spec), to learn which platforms an image has and which
 * digest each platform of a pushed list got: jib-core builds for the platforms it is told and says only the digest
 * of what it pushed. Authenticates with basic credentials, or with a bearer token when the registry asks for one.
 */
final class RegistryManifests {

    static final String LIST_TYPES = "application/vnd.docker.distribution.manifest.list.v2+json, "
            + "application/vnd.oci.image.index.v1+json";
    static final String IMAGE_TYPES = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Credentials credentials;
    private final boolean plainHttp;

    /** @param credentials for the image's registry, or {@link Credentials#NONE} */
    RegistryManifests(Credentials credentials, boolean plainHttp) {
        this.credentials = credentials;
        this.plainHttp = plainHttp;
    }

    /** Each platform ("linux/arm64") of the image and the digest of its manifest, in the registry's order. */
    Map<String, String> platforms(ImageReference image) throws IOException, InterruptedException {
        JsonNode manifest = get(image, "manifests/" + image.getQualifier());
        Map<String, String> out = new LinkedHashMap<>();
        if (manifest.has("manifests")) {
            for (JsonNode m : manifest.path("manifests")) {
                JsonNode p = m.path("platform");
                String os = p.path("os").asText();
                if (os.isEmpty() || os.equals("unknown")) continue; // attestations, not images
                String variant = p.path("variant").asText();
                out.put(os + "/" + p.path("architecture").asText() + (variant.isEmpty() ? "" : "/" + variant),
                        m.path("digest").asText());
            }
            return out;
        }
        JsonNode config = get(image, "blobs/" + manifest.path("config").path("digest").asText());
        out.put(config.path("os").asText() + "/" + config.path("architecture").asText(), null);
        return out;
    }

    private JsonNode get(ImageReference image, String path) throws IOException, InterruptedException {
        URI uri = URI.create((plainHttp ? "http://" : "https://") + image.getRegistry() + "/v2/"
                + image.getRepository() + "/" + path);
        HttpResponse<byte[]> r = send(uri, credentials.password() == null ? null : basic());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.statusCode() == 401 && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            r = send(uri, "Bearer " + token(challenge));
        }
        if (r.statusCode() != 200) {
            throw new IOException(image.getRegistry() + "/" + image.getRepository() + ": the registry answered "
                    + r.statusCode() + " to " + path.substring(0, path.indexOf('/')));
        }
        return JSON.readTree(r.body());
    }

    /** @param authorization the Authorization header's value, or null for none */
    private HttpResponse<byte[]> send(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Accept", LIST_TYPES + ", " + IMAGE_TYPES);
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A token from the realm the registry names (docker's token authentication). */
    private String token(String challenge) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) params.put(m.group(1), m.group(2));
        String realm = params.remove("realm");
        if (realm == null) throw new IOException("the registry asked for a token without naming where to get it");
        List<String> query = new ArrayList<>();
        params.forEach((k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + (query.isEmpty() ? "" : "?"
                + String.join("&", query)))).timeout(Duration.ofSeconds(60));
        if (credentials.password() != null) request.header("Authorization", basic());
        HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException("the registry's token service answered " + r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        String token = body.path("token").asText(body.path("access_token").asText());
        if (token.isEmpty()) throw new IOException("the registry's token service sent no token");
        return token;
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":"
                + credentials.password().value()).getBytes(StandardCharsets.UTF_8));
    }
}
