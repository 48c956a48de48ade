package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.List;

/** {@code cache}: {@code from}, a list of image references, and {@code to}, one reference. */
final class CacheParser {

    private static final List<String> FIELDS = List.of("from", "to");

    private CacheParser() {
    }

    static CacheSpec parse(YNode node, Problems problems) {
        Fields f = Fields.of(node, "cache", problems);
        if (f == null) return null;
        f.allowOnly(FIELDS);
        if (!f.has("from") && !f.has("to")) {
            problems.add(f.location(), "cache: expected from, to or both");
            return null;
        }
        List<String> from = new ArrayList<>();
        YSeq list = f.has("from") ? Values.list(f.get("from"), "cache.from", problems) : null;
        if (list != null) {
            for (int i = 0; i < list.items().size(); i++) {
                reference(list.items().get(i), "cache.from[" + i + "]", from, problems);
            }
        }
        List<String> to = new ArrayList<>();
        if (f.has("to")) {
            reference(f.get("to"), "cache.to", to, problems);
            if (!to.isEmpty() && to.get(0).contains("@")) {
                problems.add(f.get("to"), "cache.to: " + to.get(0) + " names a digest; a cache is pushed under a tag");
            }
        }
        return new CacheSpec(from, to.isEmpty() ? null : to.get(0));
    }

    private static void reference(YNode node, String path, List<String> out, Problems problems) {
        String value = Values.string(node, path, false, problems);
        if (value == null) return;
        int before = problems.size();
        ImageNames.checkReference(value, node, path, problems);
        if (problems.size() == before) out.add(value);
    }
}
