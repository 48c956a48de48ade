package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code layers}: each with a name, the image it becomes, and a {@code base} package layer. */
final class LayersParser {

    private static final List<String> LAYER = List.of("name", "image", "tag", "base", "ansible");
    private static final List<String> ANSIBLE = List.of("parent", "playbook", "groups");
    /** Ansible's group names: letters, digits and underscores. */
    private static final Pattern ANSIBLE_GROUP = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> BASE = List.of("parent", "package_manager", "repositories", "packages",
            "groups", "commands");
    static final List<String> MANAGERS = List.of("apt", "dnf", "zypper");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    /** Package and group names as the managers allow them, and never a shell metacharacter. */
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9@_][A-Za-z0-9@_.+:~=-]*");
    /** dnf's group names may hold blanks ("Development Tools"). */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9@_][A-Za-z0-9@_.+:~= -]*");

    private final Problems problems;

    LayersParser(Problems problems) {
        this.problems = problems;
    }

    Source.Layers parse(YNode node) {
        YSeq seq = Values.list(node, "layers", problems);
        if (seq == null) return null;
        if (seq.size() == 0) {
            problems.add(seq, "layers: expected at least one layer, got an empty list");
            return null;
        }
        List<Source.Layer> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < seq.size(); i++) {
            Source.Layer layer = layer(seq.get(i), "layers[" + i + "]", names);
            if (layer == null) continue;
            Integer earlier = names.putIfAbsent(layer.name(), i);
            if (earlier != null) {
                problems.add(seq.get(i), "layers[" + i + "].name: \"" + layer.name() + "\" is already the name of "
                        + "layers[" + earlier + "]");
            }
            out.add(layer);
        }
        return new Source.Layers(out);
    }

    private Source.Layer layer(YNode node, String path, Map<String, Integer> earlier) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return null;
        f.allowOnly(LAYER);
        String name = f.requiredString("name");
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(f.get("name"), f.child("name") + ": \"" + name + "\" is not a layer name; expected up to 63 "
                    + "lower-case letters, digits, '_', '.' and '-'");
        }
        String image = f.requiredString("image");
        if (image != null) ImageNames.checkRepository(image, f.get("image"), f.child("image"), problems);
        String tag = f.string("tag");
        if (tag != null) ImageNames.checkTag(tag, f.get("tag"), f.child("tag"), problems);
        if (f.has("base") == f.has("ansible")) {
            problems.add(f.location(), path + ": expected exactly one of base and ansible; found "
                    + (f.has("base") ? "both" : "neither"));
            return null;
        }
        Source.PackageLayer packages = f.has("base") ? packages(f.get("base"), f.child("base"), earlier) : null;
        Source.AnsibleLayer ansible = f.has("ansible") ? ansible(f.get("ansible"), f.child("ansible"), earlier)
                : null;
        if (packages == null && ansible == null) return null;
        return new Source.Layer(name, image, tag == null ? TargetParser.DEFAULT_TAG : tag, packages, ansible);
    }

    private Source.AnsibleLayer ansible(YNode node, String path, Map<String, Integer> earlier) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return null;
        f.allowOnly(ANSIBLE);
        String parent = f.requiredString("parent");
        if (parent != null && !earlier.containsKey(parent)) {
            ImageNames.checkReference(parent, f.get("parent"), f.child("parent") + " (an image, or the name of an "
                    + "earlier layer)", problems);
        }
        String playbook = f.requiredString("playbook");
        if (playbook != null) LocalPaths.check(playbook, f.get("playbook"), f.child("playbook"), problems);
        List<String> groups = strings(f, "groups", ANSIBLE_GROUP);
        return new Source.AnsibleLayer(parent, playbook, groups);
    }

    private Source.PackageLayer packages(YNode node, String path, Map<String, Integer> earlier) {
        Fields f = Fields.of(node, path, problems);
        if (f == null) return null;
        f.allowOnly(BASE);
        String parent = f.requiredString("parent");
        if (parent != null && !earlier.containsKey(parent) && !parent.equals("scratch")) {
            ImageNames.checkReference(parent, f.get("parent"), f.child("parent") + " (an image, or the name of an "
                    + "earlier layer)", problems);
        }
        String manager = f.string("package_manager");
        if (manager != null && !MANAGERS.contains(manager)) {
            problems.add(f.get("package_manager"), f.child("package_manager") + ": expected apt, dnf or zypper, got \""
                    + manager + "\"");
        }
        List<String> repositories = strings(f, "repositories", null);
        List<String> packages = strings(f, "packages", PACKAGE);
        List<String> groups = strings(f, "groups", GROUP);
        List<String> commands = strings(f, "commands", null);
        if (manager == null && (!repositories.isEmpty() || !packages.isEmpty() || !groups.isEmpty())) {
            problems.add(f.location(), f.path() + ": repositories, packages and groups need a package_manager");
        }
        if ("scratch".equals(parent) && manager != null) {
            problems.add(f.get("parent"), f.child("parent") + ": scratch has no package manager; name an image "
                    + "that has " + manager);
        }
        for (int i = 0; i < repositories.size(); i++) {
            if (repositories.get(i).chars().anyMatch(Character::isISOControl)) {
                problems.add(f.get("repositories"), f.child("repositories") + "[" + i + "]: must not contain line "
                        + "breaks or control characters");
            }
        }
        return new Source.PackageLayer(parent, manager, repositories, packages, groups, commands);
    }

    /** A list of strings, each matching {@code pattern} when one is given. */
    private List<String> strings(Fields f, String key, Pattern pattern) {
        if (!f.has(key)) return List.of();
        YSeq list = Values.list(f.get(key), f.child(key), problems);
        if (list == null) return List.of();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = f.child(key) + "[" + i + "]";
            String value = Values.string(list.get(i), path, false, problems);
            if (value == null) continue;
            if (pattern != null && !pattern.matcher(value).matches()) {
                problems.add(list.get(i), path + ": \"" + value + "\" is not a package or group name");
                continue;
            }
            if (value.isBlank()) {
                problems.add(list.get(i), path + ": must not be empty");
                continue;
            }
            out.add(value);
        }
        return out;
    }
}
