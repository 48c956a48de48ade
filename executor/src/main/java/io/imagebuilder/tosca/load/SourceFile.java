package io.imagebuilder.tosca.load;

import io.imagebuilder.tosca.syntax.ImportDef;
import io.imagebuilder.tosca.syntax.ServiceTemplate;

import java.nio.file.Path;
import java.util.List;

/** One read file and the files its imports point at. */
public record SourceFile(ServiceTemplate template, List<Import> imports) {

    public SourceFile {
        imports = List.copyOf(imports);
    }

    public String displayName() {
        return template.displayName();
    }

    /** An import resolved to the file it names. */
    public record Import(ImportDef definition, Path target) {
    }
}
