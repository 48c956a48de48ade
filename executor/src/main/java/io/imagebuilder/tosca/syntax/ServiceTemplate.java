package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One TOSCA file as written: its imports, type definitions and optional topology. */
public record ServiceTemplate(Path path, String displayName, Name definitionsVersion, Map<String, String> metadata,
                              String description, List<ImportDef> imports, Map<TypeKind, Map<String, TypeDef>> types,
                              TopologyTemplate topology, Location location) {

    public ServiceTemplate {
        metadata = Maps.copy(metadata);
        imports = List.copyOf(imports);
        EnumMap<TypeKind, Map<String, TypeDef>> copy = new EnumMap<>(TypeKind.class);
        types.forEach((k, v) -> copy.put(k, Maps.copy(v)));
        types = java.util.Collections.unmodifiableMap(copy);
    }

    public Map<String, TypeDef> types(TypeKind kind) {
        return types.getOrDefault(kind, Map.of());
    }
}
