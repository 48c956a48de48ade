package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code source}: exactly one mode, plus build_context for the dockerfile mode. */
final class SourceParser {

    static final List<String> MODES = List.of("git_repo", "dockerfile", "tar", "path", "image");
    private static final List<String> FIELDS = List.of("git_repo", "dockerfile", "build_context", "tar", "path",
            "image", "add", "config");
    private static final List<String> GIT = List.of("url", "version", "username", "password", "workdir",
            "dockerfile");
    private static final List<String> DOCKERFILE = List.of("url", "username", "password");
    private static final List<String> CONTEXT = List.of("url", "subdir", "path", "username", "password");
    private static final List<String> TAR = List.of("url", "path", "username", "password");

    /** The defaults library/image_builder/datatypes.yaml declares for GitRepo. */
    static final String DEFAULT_WORKDIR = ".";
    static final String DEFAULT_DOCKERFILE = "Dockerfile";

    private final Problems problems;

    SourceParser(Problems problems) {
        this.problems = problems;
    }

    Source parse(YNode node) {
        Fields f = Fields.of(node, "source", problems);
        if (f == null) return null;
        f.allowOnly(FIELDS);
        List<String> modes = new ArrayList<>();
        for (String mode : MODES) if (f.has(mode)) modes.add(mode);
        if (modes.size() != 1) {
            problems.add(f.location(), "source: expected exactly one of git_repo, dockerfile, tar, path and image; found "
                    + (modes.isEmpty() ? "none" : listed(modes)));
        }
        checkBuildContextCompanion(f, modes);
        for (String companion : List.of("add", "config")) {
            if (f.has(companion) && !modes.contains("image")) {
                problems.add(f.map().keyLocation(companion), "source." + companion + ": only allowed together with "
                        + "source.image");
            }
        }
        // everything given is read, so that its own problems are reported along with any conflict
        Source.BuildContext context = f.has("build_context") ? context(f.get("build_context")) : null;
        List<Source> read = new ArrayList<>();
        for (String mode : modes) read.add(mode(f, mode, context));
        return modes.size() == 1 ? read.get(0) : null;
    }

    /** A build context only makes sense for a Dockerfile that has none of its own. */
    private void checkBuildContextCompanion(Fields f, List<String> modes) {
        if (!f.has("build_context") || modes.contains("dockerfile")) return;
        YNode context = f.get("build_context");
        if (modes.isEmpty()) {
            problems.add(context, "source.build_context: only allowed together with source.dockerfile");
        }
        for (String other : modes) {
            problems.add(context, "source.build_context: only allowed together with source.dockerfile, not with "
                    + "source." + other);
        }
    }

    private Source mode(Fields f, String mode, Source.BuildContext context) {
        YNode node = f.get(mode);
        return switch (mode) {
            case "git_repo" -> git(node);
            case "dockerfile" -> dockerfile(node, context);
            case "tar" -> tar(node);
            case "image" -> new ImageEditParser(problems).parse(f);
            default -> localPath(node);
        };
    }

    private Source.Git git(YNode node) {
        Fields f = Fields.of(node, "source.git_repo", problems);
        if (f == null) return null;
        f.allowOnly(GIT);
        String url = f.requiredString("url");
        if (url != null) Urls.git(url, f.get("url"), f.child("url"), problems);
        String version = f.string("version");
        if (version != null && version.isBlank()) {
            problems.add(f.get("version"), f.child("version") + ": must not be empty");
        } else if (version != null && !GitVersions.valid(version.strip())) {
            problems.add(f.get("version"), f.child("version") + ": not a branch, tag or commit name; " + GitVersions.RULES);
        }
        String workdir = relative(f, "workdir");
        String dockerfile = relative(f, "dockerfile");
        return new Source.Git(url, version, f.credentials(), workdir == null ? DEFAULT_WORKDIR : workdir,
                dockerfile == null ? DEFAULT_DOCKERFILE : dockerfile);
    }

    private Source.DockerfileUrl dockerfile(YNode node, Source.BuildContext context) {
        Fields f = Fields.of(node, "source.dockerfile", problems);
        if (f == null) return null;
        f.allowOnly(DOCKERFILE);
        String url = f.requiredString("url");
        if (url != null) Urls.http(url, f.get("url"), f.child("url"), problems);
        return new Source.DockerfileUrl(url, f.credentials(), context);
    }

    private Source.BuildContext context(YNode node) {
        Fields f = Fields.of(node, "source.build_context", problems);
        if (f == null) return null;
        f.allowOnly(CONTEXT);
        exactlyOneOf(f, "url", "path");
        String url = f.string("url");
        if (url != null) Urls.git(url, f.get("url"), f.child("url"), problems);
        String path = localPath(f, "path");
        String subdir = relative(f, "subdir");
        if (f.has("subdir") && f.has("path")) {
            problems.add(f.get("subdir"), f.child("subdir") + ": only allowed together with "
                    + f.child("url") + ", not with " + f.child("path"));
        }
        return new Source.BuildContext(url, subdir, path, f.credentials());
    }

    private Source.Tar tar(YNode node) {
        Fields f = Fields.of(node, "source.tar", problems);
        if (f == null) return null;
        f.allowOnly(TAR);
        exactlyOneOf(f, "url", "path");
        String url = f.string("url");
        if (url != null) Urls.http(url, f.get("url"), f.child("url"), problems);
        return new Source.Tar(url, localPath(f, "path"), f.credentials());
    }

    private Source.LocalPath localPath(YNode node) {
        String path = Values.string(node, "source.path", false, problems);
        if (path != null) LocalPaths.check(path, node, "source.path", problems);
        return new Source.LocalPath(path);
    }

    private String localPath(Fields f, String key) {
        String value = f.string(key);
        if (value != null) LocalPaths.check(value, f.get(key), f.child(key), problems);
        return value;
    }

    private String relative(Fields f, String key) {
        String value = f.string(key);
        if (value != null) RelativePaths.check(value, f.get(key), f.child(key), problems);
        return value;
    }

    /** "a", "a and b", "a, b and c". */
    private static String listed(List<String> names) {
        int last = names.size() - 1;
        return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " and " + names.get(last);
    }

    private void exactlyOneOf(Fields f, String a, String b) {
        if (f.has(a) == f.has(b)) {
            problems.add(f.location(), f.path() + ": expected exactly one of " + a + " and " + b + "; found "
                    + (f.has(a) ? "both" : "neither"));
        }
    }
}
