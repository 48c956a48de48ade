package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code target}: the images to produce and, optionally, the registry to push them to. */
final class TargetParser {

    private static final List<String> FIELDS = List.of("images", "registry", "publish", "s3");
    private static final List<String> PUBLISH = List.of("registry", "local", "s3");
    private static final List<String> S3 = List.of("bucket", "prefix", "endpoint", "region", "credentials_file");
    /** S3's own rules for bucket names (3 to 63 lower-case letters, digits, dots and hyphens). */
    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile(
            "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final List<String> IMAGE = List.of("image", "tag", "base", "platforms");
    private static final List<String> REGISTRY = List.of("url", "username", "password", "insecure");

    static final String DEFAULT_TAG = "latest";

    private final Problems problems;

    TargetParser(Problems problems) {
        this.problems = problems;
    }

    /** @param layers whether the document has layers, which name their own images instead of target.images */
    Target parse(YNode node, boolean layers) {
        Fields f = Fields.of(node, "target", problems);
        if (f == null) return null;
        f.allowOnly(FIELDS);
        // absent: the registry node the image definition connects to supplies it, which the caller checks
        RegistrySpec registry = f.has("registry") ? registry(f.get("registry")) : null;
        if (layers && f.has("images")) {
            problems.add(f.map().keyLocation("images"), "target.images: not with layers; each layer names the image "
                    + "it becomes");
        }
        YNode images = layers ? null : f.require("images");
        List<ImageSpec> specs = layers ? List.of() : images == null ? null : images(images, f.child("images"));
        Target.Publish publish = Target.Publish.REGISTRY;
        String given = f.string("publish");
        if (given != null && !PUBLISH.contains(given)) {
            problems.add(f.get("publish"), f.child("publish") + ": expected registry, local or s3, got \"" + given
                    + "\"");
        } else if (given != null) {
            publish = Target.Publish.valueOf(given.toUpperCase(java.util.Locale.ROOT));
        }
        S3Spec s3 = f.has("s3") ? s3(f.get("s3")) : null;
        if (publish == Target.Publish.S3 && !f.has("s3")) {
            problems.add(f.location(), "target.s3: missing; publish: s3 needs the bucket to upload to");
        } else if (publish != Target.Publish.S3 && f.has("s3")) {
            problems.add(f.map().keyLocation("s3"), "target.s3: only allowed with publish: s3");
        }
        return specs == null ? null : new Target(registry, specs, publish, s3);
    }

    private S3Spec s3(YNode node) {
        Fields f = Fields.of(node, "target.s3", problems);
        if (f == null) return null;
        f.allowOnly(S3);
        String bucket = f.requiredString("bucket");
        if (bucket != null && !BUCKET.matcher(bucket).matches()) {
            problems.add(f.get("bucket"), f.child("bucket") + ": \"" + bucket + "\" is not a bucket name; expected 3 to "
                    + "63 lower-case letters, digits, '.' and '-'");
        }
        String prefix = f.string("prefix");
        if (prefix != null && (prefix.startsWith("/") || prefix.chars().anyMatch(Character::isISOControl))) {
            problems.add(f.get("prefix"), f.child("prefix") + ": expected a key prefix such as \"boot/\", not starting "
                    + "with / and without control characters");
        }
        String endpoint = f.string("endpoint");
        if (endpoint != null) Urls.http(endpoint, f.get("endpoint"), f.child("endpoint"), problems);
        String region = f.string("region");
        String credentials = f.string("credentials_file");
        if (credentials != null) LocalPaths.check(credentials, f.get("credentials_file"), f.child("credentials_file"),
                problems);
        return new S3Spec(bucket, prefix == null ? "" : prefix, endpoint, region == null ? S3Spec.DEFAULT_REGION
                : region, credentials);
    }

    private List<ImageSpec> images(YNode node, String path) {
        YSeq seq = Values.list(node, path, problems);
        if (seq == null) return null;
        if (seq.size() == 0) {
            problems.add(seq, path + ": expected at least one image, got an empty list");
            return null;
        }
        List<ImageSpec> out = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < seq.size(); i++) {
            String itemPath = path + "[" + i + "]";
            ImageSpec spec = image(seq.get(i), itemPath);
            if (spec == null) continue;
            out.add(spec);
            if (spec.image() == null || spec.tag() == null) continue;
            Integer first = firstIndex.putIfAbsent(spec.reference(), i);
            if (first != null) {
                problems.add(seq.get(i), itemPath + ": " + spec.reference() + " is listed twice, as " + path + "["
                        + first + "] and " + itemPath);
            }
        }
        return out;
    }

    private ImageSpec image(YNode node, String path) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return null;
        f.allowOnly(IMAGE);
        String image = f.requiredString("image");
        if (image != null) ImageNames.checkRepository(image, f.get("image"), f.child("image"), problems);
        String tag = f.string("tag");
        if (tag != null) ImageNames.checkTag(tag, f.get("tag"), f.child("tag"), problems);
        String base = f.string("base");
        if (base != null) ImageNames.checkReference(base, f.get("base"), f.child("base"), problems);
        List<Platform> platforms = f.has("platforms") ? platforms(f.get("platforms"), f.child("platforms"))
                : List.of();
        return new ImageSpec(image, f.has("tag") ? tag : DEFAULT_TAG, base, platforms);
    }

    private List<Platform> platforms(YNode node, String path) {
        YSeq seq = Values.list(node, path, problems);
        if (seq == null) return List.of();
        List<Platform> out = new ArrayList<>();
        Map<Platform, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < seq.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String text = Values.string(seq.get(i), itemPath, false, problems);
            if (text == null) continue;
            Platform platform = Platform.parse(text);
            if (platform == null) {
                problems.add(seq.get(i), itemPath + ": " + Quote.of(text) + " is not a platform; expected os/arch or "
                        + "os/arch/variant in lower case, e.g. linux/arm64 or linux/arm/v7");
                continue;
            }
            String unsupported = platform.unsupported();
            if (unsupported != null) {
                problems.add(seq.get(i), itemPath + ": " + unsupported);
                continue;
            }
            Integer first = firstIndex.putIfAbsent(platform, i);
            if (first != null) {
                problems.add(seq.get(i), itemPath + ": " + platform + " is listed twice, as " + path + "[" + first
                        + "] and " + itemPath);
            }
            out.add(platform);
        }
        return out;
    }

    private RegistrySpec registry(YNode node) {
        Fields f = Fields.of(node, "target.registry", problems);
        if (f == null) return null;
        f.allowOnly(REGISTRY);
        String url = f.requiredString("url");
        if (url != null) RegistryAddress.check(url, f.get("url"), f.child("url"), problems);
        return new RegistrySpec(url, f.credentials(), f.bool("insecure", false));
    }
}
