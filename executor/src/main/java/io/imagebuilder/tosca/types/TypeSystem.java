package io.imagebuilder.tosca.types;

import io.imagebuilder.util.Maps;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.PrimitiveType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every type of a template and its imports, and the names each file sees them by. */
public final class TypeSystem {

    private final List<ResolvedType> types;
    private final Map<String, Scope> scopes;

    TypeSystem(List<ResolvedType> types, Map<String, Scope> scopes) {
        this.types = List.copyOf(types);
        this.scopes = Maps.copy(scopes);
    }

    public List<ResolvedType> types() {
        return types;
    }

    public Scope scope(String file) {
        return scopes.get(file);
    }

    /** Looks a name up as seen from {@code scope}; null, with a problem naming what was expected, when unknown. */
    public static ResolvedType lookup(Scope scope, TypeKind kind, Name name, Problems problems) {
        if (name == null) return null;
        ResolvedType found = scope.lookup(kind, name.value());
        if (found != null) return found;
        List<String> candidates = new ArrayList<>(scope.all(kind).keySet());
        for (String visible : scope.all(kind).keySet()) {
            // normative types may be written short, so a misspelt short name is compared with short names
            if (visible.startsWith(kind.normativePrefix())) {
                candidates.add(visible.substring(kind.normativePrefix().length()));
            }
        }
        String hint = Suggestions.didYouMean(name.value(), candidates);
        if (hint.isEmpty()) {
            for (TypeKind other : TypeKind.values()) {
                if (other != kind && scope.lookup(other, name.value()) != null) {
                    hint = " (\"" + name.value() + "\" is a " + other.label() + ")";
                    break;
                }
            }
        }
        if (hint.isEmpty() && kind == TypeKind.DATA && PrimitiveType.byName(name.value()).isEmpty()) {
            List<String> primitives = new ArrayList<>();
            for (PrimitiveType p : PrimitiveType.values()) primitives.add(p.toscaName());
            primitives.add("list");
            primitives.add("map");
            hint = Suggestions.didYouMean(name.value(), primitives);
        }
        problems.add(name.location(), "unknown " + kind.label() + " \"" + name.value() + "\"" + hint);
        return null;
    }
}
