package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.load.SourceFile;
import io.imagebuilder.tosca.load.Sources;
import io.imagebuilder.tosca.syntax.ImportDef;
import io.imagebuilder.tosca.syntax.TypeDef;
import io.imagebuilder.tosca.syntax.TypeKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names phase: gives every type definition an identity and works out which names each file sees.
 * Imports are transitive; a namespace_prefix puts "prefix:" before every name an import brings in.
 */
public final class NamesPhase {

    private final Problems problems;

    public NamesPhase(Problems problems) {
        this.problems = problems;
    }

    public TypeSystem run(Sources sources) {
        List<ResolvedType> all = new ArrayList<>();
        Map<String, Scope> scopes = new LinkedHashMap<>();
        Map<Path, Scope> byPath = new HashMap<>();
        Scope normative = null;
        for (SourceFile file : sources.files()) {
            Scope scope = new Scope(file.displayName());
            for (TypeKind kind : TypeKind.values()) {
                for (TypeDef def : file.template().types(kind).values()) {
                    ResolvedType type = new ResolvedType(def, scope);
                    all.add(type);
                    define(scope, kind, def.name().value(), type, def);
                }
            }
            if (normative != null) include(scope, normative, null);
            for (SourceFile.Import imp : file.imports()) {
                Scope imported = byPath.get(imp.target());
                if (imported != null) include(scope, imported, imp.definition());
            }
            if (file == sources.normative()) normative = scope;
            if (file.template().path() != null) byPath.put(file.template().path(), scope);
            scopes.put(file.displayName(), scope);
        }
        return new TypeSystem(all, scopes);
    }

    private void define(Scope scope, TypeKind kind, String name, ResolvedType type, TypeDef def) {
        ResolvedType previous = scope.add(kind, name, type);
        if (previous != null) {
            problems.add(def.name().location(), kind.label() + " \"" + name + "\" is already defined at "
                    + previous.definition().name().location());
        }
    }

    private void include(Scope scope, Scope imported, ImportDef via) {
        String prefix = via == null || via.namespacePrefix() == null ? "" : via.namespacePrefix() + ":";
        for (TypeKind kind : TypeKind.values()) {
            imported.all(kind).forEach((name, type) -> {
                ResolvedType previous = scope.add(kind, prefix + name, type);
                if (previous != null) {
                    var at = via != null ? via.location() : previous.definition().name().location();
                    problems.add(at, kind.label() + " \"" + prefix + name + "\" is defined both at "
                            + previous.definition().name().location() + " and at "
                            + type.definition().name().location()
                            + (via != null ? "; import one of them with a namespace_prefix" : ""));
                }
            });
        }
    }
}
