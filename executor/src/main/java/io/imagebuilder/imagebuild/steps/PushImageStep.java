package io.imagebuilder.imagebuild.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.host.EngineApi;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes a unit under its final reference and returns the digest the registry stored it under. An image the
 * registry already holds under that reference, as built (the same configuration, so the same layers), is not
 * pushed again: a cached rebuild asks the engine and the registry one question each instead of running a push.
 */
public final class PushImageStep {

    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._:/@-]+");
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PushImageStep() {
    }

    /** @param registry the registry's settings, for asking it what it holds; null: always push */
    public static String run(DockerClient docker, BuildUnit unit, RegistrySpec registry, LineSink log)
            throws BuildException {
        String prefix = "[" + unit.label() + "] ";
        String held = registry == null ? null : alreadyPushed(docker, unit, registry);
        if (held != null) {
            log.line(prefix + unit.reference() + " is in the registry as built (" + held + "); not pushed again");
            return held;
        }
        if (!unit.localTag().equals(unit.reference())) {
            docker.require("tagging " + unit.label(), List.of("tag", unit.localTag(), unit.reference()), null,
                    line -> log.line(prefix + line));
        }
        String[] digest = new String[1];
        docker.require("pushing " + unit.reference(), List.of("push", unit.reference()), null, line -> {
            log.line(prefix + line);
            Matcher m = DIGEST.matcher(line);
            if (m.find()) digest[0] = m.group(1);
        });
        if (digest[0] == null) throw new BuildException("pushing " + unit.reference() + ": the registry sent no digest");
        return digest[0];
    }

    /**
     * The digest of the manifest the registry holds under the unit's reference, when it is of the image just built
     * (its configuration is the engine's image id, or, for engines that store images by manifest, the manifest is);
     * null when it is not, or either cannot tell (the image is then pushed as usual).
     */
    static String alreadyPushed(DockerClient docker, BuildUnit unit, RegistrySpec registry) {
        if (!SAFE_NAME.matcher(unit.localTag()).matches()) return null;
        try {
            EngineApi.Response local = docker.get("/images/" + unit.localTag() + "/json", ASK_TIMEOUT);
            if (local == null || local.status() != 200) return null;
            String id = JSON.readTree(local.body()).path("Id").asText("");
            if (id.isEmpty()) return null;
            ImageReference ref = RegistryClient.reference(unit.reference());
            RegistryClient client = RegistryClient.of(ref.getRegistry(), registry);
            RegistryClient.Manifest held = client.manifestIfAny(ref, ref.getQualifier());
            if (held == null) return null;
            JsonNode manifest = JSON.readTree(held.body());
            if (manifest.has("manifests")) {
                // a list under the reference (a multi-platform image): the unit's platform in it
                String entry = entryFor(manifest, unit.platform());
                held = entry == null ? null : client.manifestIfAny(ref, entry);
                if (held == null) return null;
                manifest = JSON.readTree(held.body());
            }
            String config = manifest.path("config").path("digest").asText("");
            return id.equals(config) || id.equals(held.digest()) ? held.digest() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The digest of the list's entry for {@code platform} (a variant counts only where both name one), or null. */
    private static String entryFor(JsonNode list, Platform platform) {
        if (platform == null) return null;
        for (JsonNode m : list.path("manifests")) {
            JsonNode p = m.path("platform");
            String variant = p.path("variant").asText(null);
            if (platform.os().equals(p.path("os").asText()) && platform.architecture().equals(
                    p.path("architecture").asText()) && (variant == null || platform.variant() == null
                    || variant.equals(platform.variant()))) {
                return m.path("digest").asText(null);
            }
        }
        return null;
    }
}
