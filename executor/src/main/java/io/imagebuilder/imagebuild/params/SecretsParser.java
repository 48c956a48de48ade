package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code secrets}: each entry names a secret that RUN steps mount with BuildKit, and gives it exactly one of
 * {@code file}, {@code env} or {@code value}.
 */
final class SecretsParser {

    /** BuildKit's secret ids end up as file names under /run/secrets; keep them plain. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> FIELDS = List.of("file", "env", "value");

    private SecretsParser() {
    }

    static List<BuildSecret> parse(YNode node, Problems problems) {
        Fields secrets = Fields.of(node, "secrets", problems);
        if (secrets == null) return List.of();
        List<BuildSecret> out = new ArrayList<>();
        for (String id : secrets.map().keys()) {
            if (!ID.matcher(id).matches()) {
                problems.add(secrets.map().keyLocation(id), "secrets." + id + ": \"" + id + "\" is not a secret id;"
                        + " expected up to 64 letters, digits, '_', '.' and '-', starting with a letter or digit");
                continue;
            }
            if (id.startsWith(BuildSecret.RESERVED_PREFIX)) {
                problems.add(secrets.map().keyLocation(id), "secrets." + id + ": ids starting with \""
                        + BuildSecret.RESERVED_PREFIX + "\" are kept for the secrets the executor adds itself");
                continue;
            }
            Fields f = Fields.of(secrets.get(id), secrets.child(id), problems);
            if (f == null) continue;
            f.allowOnly(FIELDS);
            List<String> given = FIELDS.stream().filter(f::has).toList();
            if (given.size() != 1) {
                problems.add(f.location(), f.path() + ": expected exactly one of file, env and value; found "
                        + (given.isEmpty() ? "none" : String.join(" and ", given)));
                continue;
            }
            BuildSecret secret = switch (given.get(0)) {
                case "file" -> file(id, f, problems);
                case "env" -> env(id, f, problems);
                default -> value(id, f);
            };
            if (secret != null) out.add(secret);
        }
        return out;
    }

    private static BuildSecret file(String id, Fields f, Problems problems) {
        String path = f.string("file");
        if (path == null) return null;
        LocalPaths.check(path, f.get("file"), f.child("file"), problems);
        return BuildSecret.file(id, path);
    }

    private static BuildSecret env(String id, Fields f, Problems problems) {
        String name = f.string("env");
        if (name == null) return null;
        if (!ENV_NAME.matcher(name).matches()) {
            problems.add(f.get("env"), f.child("env") + ": \"" + name + "\" is not an environment variable name; "
                    + "expected letters, digits and '_', not starting with a digit");
            return null;
        }
        return BuildSecret.env(id, name);
    }

    private static BuildSecret value(String id, Fields f) {
        Secret value = f.secret("value");
        return value == null ? null : BuildSecret.value(id, value);
    }
}
