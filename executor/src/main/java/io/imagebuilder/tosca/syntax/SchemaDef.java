package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;

import java.util.List;

/** An entry_schema or key_schema: the type of a list's or map's members. */
public record SchemaDef(Name type, String description, List<ConstraintDef> constraints,
                        SchemaDef keySchema, SchemaDef entrySchema, Location location) {

    public SchemaDef {
        constraints = List.copyOf(constraints);
    }
}
