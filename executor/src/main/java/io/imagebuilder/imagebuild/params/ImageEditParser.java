package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code source.image} with its {@code add} and {@code config}: an image edited without an engine. */
final class ImageEditParser {

    private static final List<String> ADD = List.of("src", "dest", "mode");
    private static final List<String> CONFIG = List.of("env", "entrypoint", "cmd", "labels", "user", "workdir");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

    private final Problems problems;

    ImageEditParser(Problems problems) {
        this.problems = problems;
    }

    /** @param source the fields of {@code source}, which holds image, add and config side by side */
    Source.ImageEdit parse(Fields source) {
        String image = Values.string(source.get("image"), "source.image", false, problems);
        if (image != null) ImageNames.checkReference(image, source.get("image"), "source.image", problems);
        List<Source.AddedFile> add = new ArrayList<>();
        YSeq list = source.has("add") ? Values.list(source.get("add"), "source.add", problems) : null;
        if (list != null) {
            for (int i = 0; i < list.items().size(); i++) {
                Source.AddedFile file = added(list.items().get(i), "source.add[" + i + "]");
                if (file != null) add.add(file);
            }
        }
        Source.ImageConfig config = source.has("config") ? config(source.get("config")) : Source.ImageConfig.KEPT;
        return new Source.ImageEdit(image, add, config == null ? Source.ImageConfig.KEPT : config);
    }

    private Source.AddedFile added(YNode node, String path) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return null;
        f.allowOnly(ADD);
        String src = f.requiredString("src");
        if (src != null) LocalPaths.check(src, f.get("src"), f.child("src"), problems);
        String dest = f.requiredString("dest");
        if (dest != null) absolute(dest, f.get("dest"), f.child("dest"));
        Integer mode = f.has("mode") ? mode(f.get("mode"), f.child("mode")) : null;
        return new Source.AddedFile(src, dest, mode);
    }

    /** An octal mode, written "0755" or 755 (YAML reads an unquoted 0755 as the number 755). */
    private Integer mode(YNode node, String path) {
        String text = node instanceof YScalar s && (s.value() instanceof String || s.value() instanceof Number)
                ? String.valueOf(s.value()) : null;
        if (text == null || !MODE.matcher(text).matches()) {
            problems.add(node, path + ": expected an octal file mode such as \"0644\" or \"0755\", got "
                    + node.describe());
            return null;
        }
        return Integer.parseInt(text, 8);
    }

    private Source.ImageConfig config(YNode node) {
        Fields f = Fields.of(node, "source.config", problems);
        if (f == null) return null;
        f.allowOnly(CONFIG);
        Map<String, String> env = f.has("env") ? StringMaps.environment(f.get("env"), f.child("env"), problems)
                : Map.of();
        Map<String, String> labels = f.has("labels") ? StringMaps.labels(f.get("labels"), f.child("labels"),
                problems) : Map.of();
        String user = f.string("user");
        if (user != null && (user.isBlank() || user.chars().anyMatch(Character::isISOControl))) {
            problems.add(f.get("user"), f.child("user") + ": expected a user name or id, as in \"1000:1000\"");
        }
        String workdir = f.string("workdir");
        if (workdir != null) absolute(workdir, f.get("workdir"), f.child("workdir"));
        return new Source.ImageConfig(env, strings(f, "entrypoint"), strings(f, "cmd"), labels, user, workdir);
    }

    private List<String> strings(Fields f, String key) {
        if (!f.has(key)) return null;
        YSeq list = Values.list(f.get(key), f.child(key), problems);
        if (list == null) return null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            String value = Values.string(list.items().get(i), f.child(key) + "[" + i + "]", false, problems);
            if (value != null) out.add(value);
        }
        return out;
    }

    private void absolute(String value, YNode at, String path) {
        if (!value.startsWith("/")) {
            problems.add(at, path + ": \"" + value + "\" is not an absolute path in the image; expected one "
                    + "starting with /");
        } else {
            LocalPaths.plainCharacters(value, at, path, problems);
        }
    }
}
