package io.imagebuilder.tosca.load;

import io.imagebuilder.util.Maps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Every file of a template: the normative types first, each import before its importer, the main template last. */
public record Sources(List<SourceFile> files, Map<Path, SourceFile> byPath, SourceFile normative, SourceFile main) {

    public Sources {
        files = List.copyOf(files);
        byPath = Maps.copy(byPath);
    }
}
