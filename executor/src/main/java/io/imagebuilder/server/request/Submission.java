package io.imagebuilder.server.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.imagebuilder.imagebuild.params.Urls;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.secret.SecretNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A posted build request: the build command's build_params document as JSON, bare or under a {@code build_params}
 * key next to {@code registry_password}. Checks what the blueprint cannot see (JSON syntax, the top-level fields)
 * and turns the blueprint's problems into field errors with the same messages the command line prints.
 */
public final class Submission {

    /** Top-level fields of a wrapped request; the build host is the server's, so its inputs are not among them. */
    static final Set<String> WRAPPED_FIELDS = new TreeSet<>(List.of("build_params", "registry_password"));
    private static final Pattern PATH = Pattern.compile("^([A-Za-z_][\\w.\\[\\]-]*): ");
    private static final Pattern UNKNOWN = Pattern.compile("^unknown field \"([^\"]+)\"");
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonNode document;
    private final byte[] body;
    private final List<String> ignored;

    private Submission(JsonNode document, byte[] body) {
        this.document = document;
        this.body = body;
        this.ignored = document.isObject() && document.has("build_params") ? ServerInputs.in(document) : List.of();
    }

    /** Parses the body; a 400 problem when it is not a JSON object with known top-level fields. */
    public static Submission parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("The request body is not valid JSON.", List.of(JsonSyntax.error(e)));
        } catch (java.io.IOException e) {
            throw invalid("The request body cannot be read.", List.of());
        }
        if (root == null || root.isMissingNode()) {
            throw invalid("The request body is empty; send a build_params document as JSON.", List.of());
        }
        if (!root.isObject()) {
            throw invalid("The request body must be a JSON object.", List.of(new ApiProblem.FieldError("$", 0, 0,
                    "expected a build_params object, found " + root.getNodeType().name().toLowerCase())));
        }
        if (root.has("build_params")) {
            List<ApiProblem.FieldError> unknown = new ArrayList<>();
            root.fieldNames().forEachRemaining(name -> {
                if (!WRAPPED_FIELDS.contains(name) && !ServerInputs.NAMES.contains(name)) {
                    unknown.add(new ApiProblem.FieldError(name, 0, 0, "unknown field \"" + name
                            + "\"; expected one of " + String.join(", ", WRAPPED_FIELDS)
                            + " (the build host is set by the server)"));
                }
            });
            if (!unknown.isEmpty()) throw invalid("The request has unknown fields.", unknown);
        }
        return new Submission(root, body);
    }

    /** What the build reads: the request without the build host inputs the server ignores. */
    public byte[] buildFile() {
        return ServerInputs.blanked(body, ignored);
    }

    /** Why parts of the request are not used (the build host inputs it names), for the answer and the log. */
    public List<String> warnings() {
        return ServerInputs.warnings(ignored);
    }

    /** The request with every password replaced by a mask, for storing and showing. */
    public String redacted() {
        return redacted(document);
    }

    static String redacted(JsonNode document) {
        JsonNode copy = document.deepCopy();
        mask(copy);
        return copy.toString();
    }

    /**
     * Fields naming files or git repositories of the server's machine (source.path, tar and build context paths,
     * file:// or absolute git URLs): an API client must not make the server read its own directories into an image.
     */
    public List<ApiProblem.FieldError> localSources() {
        return localSources(document.has("build_params") ? document.get("build_params") : document, "build_params");
    }

    static List<ApiProblem.FieldError> localSources(JsonNode params, String prefix) {
        List<ApiProblem.FieldError> out = new ArrayList<>();
        JsonNode layers = params == null ? null : params.path("layers");
        for (int i = 0; layers != null && i < layers.size(); i++) {
            local(out, layers.path(i).path("ansible").path("playbook"), prefix + ".layers[" + i + "].ansible.playbook",
                    false);
            JsonNode repositories = layers.path(i).path("base").path("repositories");
            for (int j = 0; j < repositories.size(); j++) {
                if (repositories.path(j).asText().startsWith("/")) {
                    local(out, repositories.path(j), prefix + ".layers[" + i + "].base.repositories[" + j + "]",
                            false);
                }
            }
        }
        JsonNode source = params == null ? null : params.path("source");
        if (source == null || !source.isObject()) return out;
        local(out, source.path("path"), prefix + ".source.path", false);
        local(out, source.path("tar").path("path"), prefix + ".source.tar.path", false);
        local(out, source.path("build_context").path("path"), prefix + ".source.build_context.path", false);
        local(out, source.path("git_repo").path("url"), prefix + ".source.git_repo.url", true);
        local(out, source.path("build_context").path("url"), prefix + ".source.build_context.url", true);
        local(out, params.path("proxy_ca"), prefix + ".proxy_ca", false);
        local(out, params.path("target").path("s3").path("credentials_file"), prefix + ".target.s3.credentials_file",
                false);
        for (int i = 0; i < source.path("add").size(); i++) {
            local(out, source.path("add").path(i).path("src"), prefix + ".source.add[" + i + "].src", false);
        }
        if (params.path("secrets") instanceof ObjectNode secrets) {
            for (Map.Entry<String, JsonNode> e : secrets.properties()) {
                local(out, e.getValue().path("file"), prefix + ".secrets." + e.getKey() + ".file", false);
            }
        }
        return out;
    }

    /**
     * Build secrets taken from the server's environment variables: refused whatever the server allows, because its
     * environment holds its own credentials, which a build could then read.
     */
    public List<ApiProblem.FieldError> serverEnvironment() {
        return serverEnvironment(document.has("build_params") ? document.get("build_params") : document,
                "build_params");
    }

    static List<ApiProblem.FieldError> serverEnvironment(JsonNode params, String prefix) {
        List<ApiProblem.FieldError> out = new ArrayList<>();
        if (params != null && params.path("secrets") instanceof ObjectNode secrets) {
            for (Map.Entry<String, JsonNode> e : secrets.properties()) {
                if (!e.getValue().path("env").isTextual()) continue;
                String at = prefix + ".secrets." + e.getKey() + ".env";
                out.add(new ApiProblem.FieldError(at, 0, 0, at + ": names an environment variable of the server; "
                        + "give the secret's value instead"));
            }
        }
        return out;
    }

    private static void local(List<ApiProblem.FieldError> out, JsonNode value, String path, boolean url) {
        if (!value.isTextual()) return;
        String v = value.asText();
        if (url && !Urls.namesLocalRepository(v)) return;
        out.add(new ApiProblem.FieldError(path, 0, 0, path + ": names " + (url ? "a git repository" : "a path")
                + " on the server's machine; this server builds only from remote sources (serve "
                + "--allow-local-sources permits local ones)"));
    }

    /** Every password in the request, so a build's log can be scrubbed of them. */
    public List<String> secrets() {
        List<String> out = new ArrayList<>();
        collect(document, out);
        return out;
    }

    public static List<String> secretsOf(byte[] body) {
        try {
            return new Submission(JSON.readTree(body), body).secrets();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (SecretNames.isSecret(name)) {
                    maskAll(o, name);
                } else {
                    mask(o.get(name));
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(Submission::mask);
        }
    }

    /** Every value under a secret-named field, such as each entry of build_params.secrets, is a secret. */
    private static void maskAll(ObjectNode parent, String name) {
        JsonNode value = parent.get(name);
        if (value.isValueNode() && !value.isNull()) parent.set(name, TextNode.valueOf(Redactor.MASK));
        else maskEverything(value);
    }

    private static void maskEverything(JsonNode container) {
        if (container instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            names.forEach(n -> maskAll(o, n));
        } else if (container instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isValueNode() && !a.get(i).isNull()) a.set(i, TextNode.valueOf(Redactor.MASK));
                else maskEverything(a.get(i));
            }
        }
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node == null) return;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (SecretNames.isSecret(e.getKey())) {
                    collectAll(e.getValue(), out);
                } else {
                    collect(e.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    private static void collectAll(JsonNode node, List<String> out) {
        if (node.isValueNode() && !node.isNull()) {
            String v = node.asText();
            if (!v.isEmpty()) out.add(v);
        } else {
            node.forEach(n -> collectAll(n, out));
        }
    }

    /** The blueprint's problems with a posted document, as field errors; file names are those of the request. */
    public static ApiProblem invalid(InvalidInputException e, String fileName) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        for (Problem p : e.problems()) {
            String message = p.message().replace(fileName, "request body");
            Matcher m = PATH.matcher(message);
            String path = "$";
            if (m.find()) {
                path = m.group(1);
                // an unknown field is placed at its parent; the path names the field itself
                Matcher unknown = UNKNOWN.matcher(message.substring(m.end()));
                if (unknown.find()) path = path + "." + unknown.group(1);
                // the build checks name fields from the root of build_params, the blueprint from its inputs; the
                // API names them all from the inputs (for a bare document, build_params is the body itself)
                if (!path.equals("build_params") && !path.startsWith("build_params.")
                        && !WRAPPED_FIELDS.contains(path.split("[.\\[]")[0])) {
                    path = "build_params." + path;
                }
            }
            boolean inRequest = p.location().file().endsWith(fileName);
            errors.add(new ApiProblem.FieldError(path, inRequest ? p.location().line() : 0,
                    inRequest ? p.location().column() : 0, message));
        }
        int n = errors.size();
        return invalid(n + " problem" + (n == 1 ? "" : "s") + " found in the build request; nothing was queued.",
                errors);
    }

    public static ApiProblem invalid(String detail, List<ApiProblem.FieldError> errors) {
        return new ApiProblem(400, "Invalid build request", detail, errors);
    }
}
