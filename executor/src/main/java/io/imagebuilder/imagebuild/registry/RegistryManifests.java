package io.imagebuilder.imagebuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.RegistrySpec;

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
public final class RegistryManifests {

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
    public RegistryManifests(Credentials credentials, boolean plainHttp) {
        this.credentials = credentials;
        this.plainHttp = plainHttp;
    }

    /**
     * For an image in {@code host}: with the target registry's credentials when it is that registry, else
     * anonymous.
     */
    public static RegistryManifests of(String host, RegistrySpec target) {
        boolean same = target != null && host.equals(target.host());
        return new RegistryManifests(same ? target.credentials() : Credentials.NONE, plainHttp(target, host));
    }

    /**
     * Plain HTTP for a registry marked insecure, and for one on this machine's loopback, as docker allows.
     *
     * @param target the build's registry, or null
     */
    public static boolean plainHttp(RegistrySpec target, String host) {
        String h = host.replaceFirst(":[0-9]+$", "");
        return (target != null && target.insecure() && host.equals(target.host())) || h.equals("localhost")
                || h.startsWith("127.") || h.equals("[::1]");
    }

    /** Each platform ("linux/arm64") of the image and the digest of its manifest, in the registry's order. */
    public Map<String, String> platforms(ImageReference image) throws IOException, InterruptedException {
        JsonNode manifest = JSON.readTree(get(image, "manifests/" + image.getQualifier()).body());
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
        JsonNode config = JSON.readTree(get(image, "blobs/" + manifest.path("config").path("digest").asText()).body());
        out.put(config.path("os").asText() + "/" + config.path("architecture").asText(), null);
        return out;
    }

    /**
     * What the image's tag (or digest) names now, for one platform ("linux/arm64"): the digest of that platform's
     * manifest, and the digest of the list it was chosen from (null for an image of one platform, whose own
     * platform is not checked).
     */
    public Resolved resolve(ImageReference image, String platform) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(image, "manifests/" + image.getQualifier());
        String digest = r.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(r.body()));
        JsonNode manifest = JSON.readTree(r.body());
        if (!manifest.has("manifests")) return new Resolved(digest, null);
        for (JsonNode m : manifest.path("manifests")) {
            JsonNode p = m.path("platform");
            String variant = p.path("variant").asText();
            String os = p.path("os").asText() + "/" + p.path("architecture").asText();
            if (platform.equals(os) || platform.equals(os + "/" + variant)) {
                return new Resolved(m.path("digest").asText(), digest);
            }
        }
        throw new IOException(image.getRegistry() + "/" + image.getRepository() + ":" + image.getQualifier()
                + " has no " + platform + " image");
    }

    /** Whether the registry has the manifest of this digest (a HEAD request). */
    public boolean has(ImageReference image, String digest) throws IOException, InterruptedException {
        URI uri = manifestUri(image, digest);
        HttpResponse<byte[]> r = send(uri, "HEAD", credentials.password() == null ? null : basic());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.statusCode() == 401 && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            r = send(uri, "HEAD", "Bearer " + token(challenge));
        }
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        if (r.statusCode() == 401) {
            throw new IOException(image.getRegistry() + " asks for credentials that were not given or not accepted");
        }
        throw new IOException(image.getRegistry() + "/" + image.getRepository() + ": the registry answered "
                + r.statusCode());
    }

    /** A manifest digest, and the digest of the list it was chosen from (or null). */
    public record Resolved(String digest, String index) {
    }

    private URI manifestUri(ImageReference image, String reference) {
        return URI.create((plainHttp ? "http://" : "https://") + image.getRegistry() + "/v2/"
                + image.getRepository() + "/manifests/" + reference);
    }

    private static String sha256(byte[] body) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> get(ImageReference image, String path) throws IOException, InterruptedException {
        URI uri = URI.create((plainHttp ? "http://" : "https://") + image.getRegistry() + "/v2/"
                + image.getRepository() + "/" + path);
        HttpResponse<byte[]> r = send(uri, "GET", credentials.password() == null ? null : basic());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.statusCode() == 401 && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            r = send(uri, "GET", "Bearer " + token(challenge));
        }
        if (r.statusCode() != 200) {
            throw new IOException(image.getRegistry() + "/" + image.getRepository() + ": the registry answered "
                    + r.statusCode() + " to " + path.substring(0, path.indexOf('/')));
        }
        return r;
    }

    /** @param authorization the Authorization header's value, or null for none */
    private HttpResponse<byte[]> send(URI uri, String method, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody())
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
