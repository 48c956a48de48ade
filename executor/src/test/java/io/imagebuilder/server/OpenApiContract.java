package io.imagebuilder.server;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends requests to a live server and checks request and answer against the server's OpenAPI document. */
final class OpenApiContract {

    private final TestServer server;
    private final OpenApiInteractionValidator validator;
    private int checked;

    OpenApiContract(TestServer server, String document) {
        this.server = server;
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
    }

    /**
     * Sends the request, checks the status, and that the exchange is one the document describes. Requests answered
     * with an error are bad on purpose (no key, not JSON, unknown ids): only their answers are checked.
     */
    HttpResponse<String> check(String method, String pathAndQuery, String key, String body,
                               Map<String, String> headers, int status) throws Exception {
        HttpResponse<String> r = body == null ? server.exchange(method, pathAndQuery, key, headers)
                : server.send(method, pathAndQuery, key, body, headers.getOrDefault("Content-Type",
                "application/json"), headers.get("Idempotency-Key"));
        assertThat(r.statusCode()).as(method + " " + pathAndQuery + ": " + r.body()).isEqualTo(status);
        String path = pathAndQuery.split("\\?", 2)[0];
        ValidationReport report = r.statusCode() >= 400
                ? validator.validateResponse(path, Request.Method.valueOf(method), response(r))
                : validator.validate(request(method, pathAndQuery, key, body, headers), response(r));
        assertThat(report.getMessages()).as(method + " " + pathAndQuery + " answered " + r.statusCode() + ": "
                + r.body()).isEmpty();
        checked++;
        return r;
    }

    int checked() {
        return checked;
    }

    private static Request request(String method, String pathAndQuery, String key, String body,
                                   Map<String, String> headers) {
        String[] parts = pathAndQuery.split("\\?", 2);
        SimpleRequest.Builder b = new SimpleRequest.Builder(method, parts[0]);
        if (parts.length > 1) {
            for (String pair : parts[1].split("&")) {
                String[] kv = pair.split("=", 2);
                b.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        if (key != null) b.withHeader("X-API-Key", key);
        headers.forEach(b::withHeader);
        if (body != null) {
            b.withBody(body);
            if (!headers.containsKey("Content-Type")) b.withContentType("application/json");
        }
        return b.build();
    }

    private static com.atlassian.oai.validator.model.Response response(HttpResponse<String> r) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(r.statusCode());
        r.headers().map().forEach((name, values) -> b.withHeader(name, values));
        if (!r.body().isEmpty()) b.withBody(r.body());
        return b.build();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
