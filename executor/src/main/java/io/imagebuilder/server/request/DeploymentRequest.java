package io.imagebuilder.server.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagenode.BuildHostInputs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A posted deployment: {@code {"blueprint": NAME, "inputs": {...}}}, NAME being a template in the installation's
 * blueprints/ directory. The build host inputs are the server's (as for builds): a request that sets one is
 * refused, and the server's settings are added to the inputs.
 */
public record DeploymentRequest(String blueprint, ObjectNode inputs) {

    static final Set<String> FIELDS = new TreeSet<>(List.of("blueprint", "inputs"));

    public static Path blueprints() {
        return Path.of(System.getProperty("imagebuilder.home", ".")).resolve("blueprints").toAbsolutePath()
                .normalize();
    }

    /** Parses and checks the shape of the body; a 400 problem when it is wrong. */
    public static DeploymentRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = Submission.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Submission.invalid("The request body is not valid JSON.", List.of(JsonSyntax.error(e)));
        } catch (IOException e) {
            throw Submission.invalid("The request body cannot be read.", List.of());
        }
        if (root == null || !root.isObject()) {
            throw Submission.invalid("The request body must be a JSON object with blueprint and inputs.", List.of());
        }
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) errors.add(new ApiProblem.FieldError(name, 0, 0, "unknown field \"" + name
                    + "\"; expected one of " + String.join(", ", FIELDS)));
        });
        JsonNode name = root.get("blueprint");
        List<String> known = available();
        if (name == null || !name.isTextual() || !known.contains(name.asText())) {
            errors.add(new ApiProblem.FieldError("blueprint", 0, 0, "blueprint must be one of "
                    + String.join(", ", known)));
        }
        JsonNode inputs = root.get("inputs");
        if (inputs != null && !inputs.isObject()) {
            errors.add(new ApiProblem.FieldError("inputs", 0, 0, "inputs must be an object of input values"));
        } else if (inputs != null) {
            inputs.fieldNames().forEachRemaining(input -> {
                if (ServerInputs.NAMES.contains(input)) errors.add(new ApiProblem.FieldError("inputs." + input, 0, 0,
                        "input \"" + input + "\" is set by the server (its build host settings)"));
            });
        }
        if (!errors.isEmpty()) throw Submission.invalid("The deployment request is invalid.", errors);
        return new DeploymentRequest(name.asText(), inputs == null ? Submission.JSON.createObjectNode()
                : (ObjectNode) inputs);
    }

    /** The names of the bundled blueprints (files in blueprints/ without .yaml). */
    static List<String> available() {
        try (Stream<Path> files = Files.list(blueprints())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public Path template() {
        return blueprints().resolve(blueprint + ".yaml");
    }

    /** The inputs document for the deployment: the request's inputs and the server's build host settings. */
    public byte[] inputsFile(BuildHostSettings host) {
        ObjectNode all = inputs.deepCopy();
        BuildHostInputs.of(host).forEach((name, value) -> all.set(name, Submission.JSON.valueToTree(value)));
        return all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Fields of build_params in the inputs that name files or repositories of the server's machine. */
    public List<ApiProblem.FieldError> localSources() {
        return Submission.localSources(inputs.get("build_params"), "inputs.build_params");
    }

    /** Build secrets in the inputs' build_params read from the server's environment; never allowed. */
    public List<ApiProblem.FieldError> serverEnvironment() {
        return Submission.serverEnvironment(inputs.get("build_params"), "inputs.build_params");
    }

    public String redacted() {
        return Submission.redacted(inputs);
    }
}
