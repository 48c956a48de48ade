package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * OAuth 2.0 bearer tokens checked by token introspection (RFC 7662): the token is posted to the configured endpoint,
 * authenticated as this server's client, and an active token's subject (else its client_id, else its username)
 * owns the builds made with it, as {@code oauth:SUBJECT}. The client secret comes from a file and, like the tokens,
 * never reaches a log, a message or the database.
 */
public final class TokenIntrospection {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private TokenIntrospection(URI endpoint, String authorization) {
        this.endpoint = endpoint;
        this.authorization = authorization;
    }

    /** @param clientSecretFile the client's secret on the file's first line */
    public static TokenIntrospection of(URI endpoint, String clientId, Path clientSecretFile) {
        if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("token introspection endpoint " + endpoint + ": expected http(s)://");
        }
        String secret;
        try {
            secret = Files.readAllLines(clientSecretFile, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                    .strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the OAuth client secret file " + clientSecretFile + ": "
                    + e.getMessage(), e);
        }
        if (secret.isEmpty()) throw new IllegalArgumentException("the OAuth client secret file " + clientSecretFile
                + " is empty");
        // RFC 6749 2.3.1: client id and secret are form-encoded before they are joined for basic authentication
        String basic = Base64.getEncoder().encodeToString((form(clientId) + ":" + form(secret))
                .getBytes(StandardCharsets.UTF_8));
        return new TokenIntrospection(endpoint, "Basic " + basic);
    }

    /** The owner of an active token; empty when the token is not active or cannot be checked. */
    public Optional<String> owner(String token) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + form(token) + "&token_type_hint=access_token"))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return Optional.empty();
            JsonNode body = JSON.readTree(r.body());
            if (!body.path("active").asBoolean(false)) return Optional.empty();
            for (String claim : new String[] {"sub", "client_id", "username"}) {
                String v = body.path(claim).asText("");
                if (!v.isEmpty()) return Optional.of("oauth:" + v);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
