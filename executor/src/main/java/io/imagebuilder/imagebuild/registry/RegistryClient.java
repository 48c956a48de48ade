package io.imagebuilder.imagebuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.util.Digests;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A registry's HTTP API (distribution spec): which platforms an image has and which digest each platform of a pushed
 * list got (jib-core builds for the platforms it is told and says only the digest of what it pushed), what a tag
 * names now, and manifests and blobs copied out of a registry and into one. Authenticates with basic credentials,
 * or with a bearer token when the registry asks for one.
 */
public final class RegistryClient {

    static final String LIST_TYPES = "application/vnd.docker.distribution.manifest.list.v2+json, "
            + "application/vnd.oci.image.index.v1+json";
    static final String IMAGE_TYPES = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /**
     * The process's HTTP client and JSON reader, apart from this class so that {@link #prepare} can have them made
     * on another thread: initializing this class does not make them.
     */
    private static final class Shared {
        static final ObjectMapper JSON = new ObjectMapper();
        /** One for the process: a client holds threads and a connection pool, too dear to make per request. */
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    private final Credentials credentials;
    private final boolean plainHttp;

    /**
     * Makes the process's HTTP client on another thread, if it is not made yet: its TLS set-up (the JDK's trust store
     * among it) then takes place while a build's input is checked, rather than delaying the build's login.
     */
    public static void prepare() {
        java.util.concurrent.CompletableFuture.runAsync(() -> Shared.HTTP.version());
    }

    /** @param credentials for the image's registry, or {@link Credentials#NONE} */
    public RegistryClient(Credentials credentials, boolean plainHttp) {
        this.credentials = credentials;
        this.plainHttp = plainHttp;
    }

    /**
     * For an image in {@code host}: with the target registry's credentials when it is that registry, else
     * anonymous.
     */
    public static RegistryClient of(String host, RegistrySpec target) {
        boolean same = target != null && host.equals(target.host());
        return new RegistryClient(same ? target.credentials() : Credentials.NONE, plainHttp(target, host));
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
        JsonNode manifest = Shared.JSON.readTree(get(image, "manifests/" + image.getQualifier()).body());
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
        String configDigest = manifest.path("config").path("digest").asText();
        JsonNode config = Shared.JSON.readTree(get(image, "blobs/" + configDigest).body());
        out.put(config.path("os").asText() + "/" + config.path("architecture").asText(), null);
        return out;
    }

    /**
     * What the image's tag (or digest) names now, for one platform ("linux/arm64"): the digest of that platform's
     * manifest, and the digest of the list it was chosen from (null for an image of one platform, whose own
     * platform is not checked).
     */
    public Resolved resolve(ImageReference image, String platform) throws IOException, InterruptedException {
        return resolve(image, manifest(image, image.getQualifier()), platform);
    }

    /** As {@link #resolve(ImageReference, String)}, from the manifest (or list) the image's tag named. */
    public static Resolved resolve(ImageReference image, Manifest named, String platform) throws IOException {
        String digest = named.digest();
        JsonNode manifest = Shared.JSON.readTree(named.body());
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

    /** An image reference as jib reads it; the exception names the text that is not one. */
    public static ImageReference reference(String text) throws IOException {
        try {
            return ImageReference.parse(text);
        } catch (InvalidImageReferenceException e) {
            throw new IOException("not an image reference: " + text);
        }
    }

    /** Whether the registry has the manifest of this digest (a HEAD request). */
    public boolean has(ImageReference image, String digest) throws IOException, InterruptedException {
        return exists(image, uri(image, "manifests/" + digest));
    }

    /** Whether the registry has the blob of this digest in the image's repository. */
    public boolean hasBlob(ImageReference image, String digest) throws IOException, InterruptedException {
        return exists(image, uri(image, "blobs/" + digest));
    }

    /** A manifest as the registry holds it, byte for byte, with its media type and digest. */
    public record Manifest(byte[] body, String mediaType, String digest) {
    }

    /** The manifest (or list) of {@code reference}, a tag or a digest, of the image's repository. */
    public Manifest manifest(ImageReference image, String reference) throws IOException, InterruptedException {
        Manifest m = manifestIfAny(image, reference);
        if (m == null) {
            throw new IOException(image.getRegistry() + "/" + image.getRepository() + ": the registry answered 404 "
                    + "to manifests");
        }
        return m;
    }

    /** As {@link #manifest}, or null when the registry has no such manifest. */
    public Manifest manifestIfAny(ImageReference image, String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = exchange(uri(image, "manifests/" + reference), "GET",
                HttpRequest.BodyPublishers.noBody(), null);
        if (r.statusCode() == 404) return null;
        if (r.statusCode() != 200) throw refused(image, r, "manifests");
        String type = r.headers().firstValue("Content-Type").orElse("");
        return new Manifest(r.body(), type.isEmpty() ? Shared.JSON.readTree(r.body()).path("mediaType").asText() : type,
                Digests.sha256(r.body()));
    }

    /** Writes a blob of the image's repository into {@code file}, checking its digest. */
    public void blobTo(ImageReference image, String digest, Path file) throws IOException, InterruptedException {
        URI uri = uri(image, "blobs/" + digest);
        HttpResponse<Path> r = send(uri, "GET", HttpRequest.BodyPublishers.noBody(), null,
                credentials.password() == null ? null : basic(), HttpResponse.BodyHandlers.ofFile(file));
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.statusCode() == 401 && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            r = send(uri, "GET", HttpRequest.BodyPublishers.noBody(), null, "Bearer " + token(challenge),
                    HttpResponse.BodyHandlers.ofFile(file));
        }
        if (r.statusCode() != 200) {
            Files.deleteIfExists(file);
            throw new IOException(image.getRegistry() + "/" + image.getRepository() + ": the registry answered "
                    + r.statusCode() + " to blob " + digest);
        }
        if (!Digests.sha256(file).equals(digest)) {
            Files.deleteIfExists(file);
            throw new IOException(image.getRegistry() + "/" + image.getRepository() + ": blob " + digest
                    + " came with other content");
        }
    }

    /** Uploads a blob into the image's repository in one request (the distribution spec's monolithic upload). */
    public void pushBlob(ImageReference image, String digest, Path file) throws IOException, InterruptedException {
        upload(image, digest, HttpRequest.BodyPublishers.ofFile(file));
    }

    /** As {@link #pushBlob(ImageReference, String, Path)}, for a blob held in memory. */
    public void pushBlob(ImageReference image, String digest, byte[] content) throws IOException, InterruptedException {
        upload(image, digest, HttpRequest.BodyPublishers.ofByteArray(content));
    }

    private void upload(ImageReference image, String digest, HttpRequest.BodyPublisher content)
            throws IOException, InterruptedException {
        if (hasBlob(image, digest)) return;
        HttpResponse<byte[]> start = exchange(uri(image, "blobs/uploads/"), "POST",
                HttpRequest.BodyPublishers.noBody(), null);
        String location = start.headers().firstValue("Location").orElse(null);
        if (start.statusCode() != 202 || location == null) throw refused(image, start, "starting an upload");
        URI upload = uri(image, "").resolve(location);
        URI put = URI.create(upload + (upload.getQuery() == null ? "?" : "&") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        HttpResponse<byte[]> done = exchange(put, "PUT", content, "application/octet-stream");
        if (done.statusCode() != 201) throw refused(image, done, "uploading blob " + digest);
    }

    /** Stores a manifest (or list) under {@code reference}, a tag or its digest. */
    public void pushManifest(ImageReference image, String reference, Manifest manifest)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> r = exchange(uri(image, "manifests/" + reference), "PUT",
                HttpRequest.BodyPublishers.ofByteArray(manifest.body()), manifest.mediaType());
        if (r.statusCode() != 201) throw refused(image, r, "storing manifest " + reference);
    }

    /** A manifest digest, and the digest of the list it was chosen from (or null). */
    public record Resolved(String digest, String index) {
    }

    private boolean exists(ImageReference image, URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = exchange(uri, "HEAD", HttpRequest.BodyPublishers.noBody(), null);
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw refused(image, r, "a HEAD request");
    }

    /**
     * Checks that {@code host} accepts this client's credentials, as {@code docker login} does: a request to the
     * registry API's base with them, after fetching a bearer token with them where the registry asks for one.
     */
    public void checkLogin(String host) throws IOException, InterruptedException {
        String api = reference(host + "/login-check").getRegistry();
        HttpResponse<byte[]> r = exchange(URI.create((plainHttp ? "http://" : "https://") + api + "/v2/"), "GET",
                HttpRequest.BodyPublishers.noBody(), null);
        if (r.statusCode() == 401) throw new IOException("unauthorized: " + host + " did not accept the credentials");
        if (r.statusCode() != 200) throw new IOException(host + " answered " + r.statusCode() + " to a login");
    }

    private static IOException refused(ImageReference image, HttpResponse<byte[]> r, String what) {
        if (r.statusCode() == 401) {
            return new IOException(image.getRegistry() + " asks for credentials that were not given or not accepted");
        }
        return new IOException(image.getRegistry() + "/" + image.getRepository() + ": the registry answered "
                + r.statusCode() + " to " + what);
    }

    private URI uri(ImageReference image, String path) {
        return URI.create((plainHttp ? "http://" : "https://") + image.getRegistry() + "/v2/"
                + image.getRepository() + "/" + path);
    }

    private HttpResponse<byte[]> get(ImageReference image, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = exchange(uri(image, path), "GET", HttpRequest.BodyPublishers.noBody(), null);
        if (r.statusCode() != 200) throw refused(image, r, path.substring(0, path.indexOf('/')));
        return r;
    }

    /**
     * One request, with basic credentials when there are some, and once more with a bearer token when the
     * registry asks for one (the body is sent again, so it must be one that can be).
     */
    private HttpResponse<byte[]> exchange(URI uri, String method, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send(uri, method, body, contentType,
                credentials.password() == null ? null : basic(), HttpResponse.BodyHandlers.ofByteArray());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.statusCode() == 401 && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            r = send(uri, method, body, contentType, "Bearer " + token(challenge),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
        return r;
    }

    /** @param authorization the Authorization header's value, or null for none */
    private <T> HttpResponse<T> send(URI uri, String method, HttpRequest.BodyPublisher body, String contentType,
                                     String authorization, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(300))
                .method(method, body).header("Accept", LIST_TYPES + ", " + IMAGE_TYPES);
        if (contentType != null) request.header("Content-Type", contentType);
        if (authorization != null) request.header("Authorization", authorization);
        return Shared.HTTP.send(request.build(), handler);
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
        HttpResponse<byte[]> r = Shared.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401) throw new IOException("unauthorized: the registry's token service did not accept the"
                + " credentials");
        if (r.statusCode() != 200) throw new IOException("the registry's token service answered " + r.statusCode());
        JsonNode body = Shared.JSON.readTree(r.body());
        String token = body.path("token").asText(body.path("access_token").asText());
        if (token.isEmpty()) throw new IOException("the registry's token service sent no token");
        return token;
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":"
                + credentials.password().value()).getBytes(StandardCharsets.UTF_8));
    }
}
