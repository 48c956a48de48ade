package io.imagebuilder.tosca.types;

import io.imagebuilder.tosca.syntax.TypeKind;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The type names one file can see: its own, its imports' (with their namespace prefix), and the normative types,
 * which may also be written short ("Compute", "tosca:Compute").
 */
public final class Scope {

    private final String file;
    private final Map<TypeKind, Map<String, ResolvedType>> names = new EnumMap<>(TypeKind.class);

    Scope(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    /** Returns the type already visible under that name if it is a different one, else null. */
    ResolvedType add(TypeKind kind, String name, ResolvedType type) {
        ResolvedType previous = names.computeIfAbsent(kind, k -> new HashMap<>()).putIfAbsent(name, type);
        return previous == null || previous == type ? null : previous;
    }

    Map<String, ResolvedType> all(TypeKind kind) {
        return names.getOrDefault(kind, Map.of());
    }

    public ResolvedType lookup(TypeKind kind, String name) {
        Map<String, ResolvedType> visible = all(kind);
        ResolvedType found = visible.get(name);
        if (found != null) return found;
        String bare = name.startsWith("tosca:") ? name.substring("tosca:".length()) : name;
        ResolvedType normative = visible.get(kind.normativePrefix() + bare);
        if (normative != null && normative.name().startsWith("tosca.")) return normative;
        // normative types in a sub-namespace are known by their last name too: "Standard" for
        // tosca.interfaces.node.lifecycle.Standard, "Linkable" for tosca.capabilities.network.Linkable
        ResolvedType bySuffix = null;
        for (Map.Entry<String, ResolvedType> e : visible.entrySet()) {
            String full = e.getKey();
            if (!full.startsWith(kind.normativePrefix()) || !full.endsWith("." + bare)
                    || !e.getValue().name().equals(full)) continue;
            if (bySuffix != null && bySuffix != e.getValue()) return null;
            bySuffix = e.getValue();
        }
        return bySuffix;
    }
}
