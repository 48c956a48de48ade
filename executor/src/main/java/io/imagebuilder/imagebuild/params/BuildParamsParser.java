package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a SODALITE build_params document and turns it into {@link BuildParams}. Every problem is collected,
 * placed at the offending node and worded with its path inside build_params ({@code target.images[1].tag: ...}),
 * so one run lists everything to fix. Passwords become {@link Secret}s and never appear in a message.
 */
public final class BuildParamsParser {

    private static final List<String> FIELDS = List.of("source", "target", "build_args", "labels", "secrets",
            "proxy_ca", "cache", "layers");

    private BuildParamsParser() {
    }

    /** The checked parameters, or null when {@code root} has problems (added to {@code problems}). */
    public static BuildParams parse(YNode root, Problems problems) {
        // a problem the caller collected earlier must not make a valid document look invalid
        Problems found = new Problems();
        BuildParams params = read(root, found);
        problems.addAll(found);
        return found.isEmpty() ? params : null;
    }

    /** Reads YAML or JSON text (JSON being YAML 1.2) and checks it; null when there are problems. */
    public static BuildParams parse(String text, String displayName, Problems problems) {
        Problems found = new Problems();
        Optional<YNode> root = YamlReader.parse(text, displayName, found);
        BuildParams params = root.map(r -> parse(r, found)).orElse(null);
        problems.addAll(found);
        return found.isEmpty() ? params : null;
    }

    /**
     * The parameters as a SODALITE-shaped document of maps, lists and strings, passwords included (the caller
     * decides about masking). Defaults are written out; the additions to SODALITE's format (insecure, build_args,
     * labels, secrets, proxy_ca, cache) only when they are set.
     */
    public static Object toPlain(BuildParams params) {
        return PlainForm.of(params);
    }

    private static BuildParams read(YNode root, Problems problems) {
        Fields f = Fields.of(root, "", problems);
        if (f == null) return null;
        f.allowOnly(FIELDS);
        boolean layers = f.has("layers");
        if (layers && f.has("source")) {
            problems.add(f.map().keyLocation("layers"), "layers: only allowed instead of source, not with it");
        }
        YNode sourceNode = layers ? null : f.require("source");
        YNode targetNode = f.require("target");
        Source source = layers ? new LayersParser(problems).parse(f.get("layers"))
                : sourceNode == null ? null : new SourceParser(problems).parse(sourceNode);
        Target target = targetNode == null ? null : new TargetParser(problems).parse(targetNode, layers);
        Map<String, String> buildArgs = f.has("build_args")
                ? StringMaps.buildArgs(f.get("build_args"), "build_args", problems) : Map.of();
        Map<String, String> labels = f.has("labels") ? StringMaps.labels(f.get("labels"), "labels", problems)
                : Map.of();
        List<BuildSecret> secrets = f.has("secrets") ? SecretsParser.parse(f.get("secrets"), problems) : List.of();
        String proxyCa = f.string("proxy_ca");
        if (proxyCa != null) LocalPaths.check(proxyCa, f.get("proxy_ca"), "proxy_ca", problems);
        CacheSpec cache = f.has("cache") ? CacheParser.parse(f.get("cache"), problems) : null;
        if ((source instanceof Source.ImageEdit || source instanceof Source.Layers) && target != null
                && target.needsNoRegistry()) {
            problems.add(targetNode, "target.publish: " + (layers ? "layers are pushed, each to be the next one's "
                    + "parent" : "an image source is edited in its registry, with no build host to keep it on or "
                    + "export it from") + "; expected registry");
        }
        return problems.isEmpty() ? new BuildParams(source, target, buildArgs, labels, secrets, proxyCa, cache)
                : null;
    }
}
