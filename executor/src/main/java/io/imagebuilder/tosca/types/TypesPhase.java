package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.syntax.CapabilityDef;
import io.imagebuilder.tosca.syntax.InterfaceDef;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.Occurrences;
import io.imagebuilder.tosca.syntax.RequirementDef;
import io.imagebuilder.tosca.syntax.TypeDef;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.Constraint;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The types phase: links every type to its parent (reporting unknown parents and derivation cycles),
 * merges inherited members, resolves the types of properties, and checks defaults against them.
 */
public final class TypesPhase {

    private enum State { RESOLVING, DONE }

    private final Problems problems;
    private final Map<ResolvedType, State> state = new IdentityHashMap<>();
    private final List<Runnable> deferredChecks = new ArrayList<>();
    private final TypeResolver resolver;

    public TypesPhase(Problems problems) {
        this.problems = problems;
        this.resolver = new TypeResolver(problems, this::resolve, deferredChecks::add);
    }

    public TypeSystem run(TypeSystem system) {
        for (ResolvedType type : system.types()) resolve(type);
        // defaults may use data types resolved after the type that declares them
        deferredChecks.forEach(Runnable::run);
        return system;
    }

    private void resolve(ResolvedType type) {
        State s = state.get(type);
        if (s == State.DONE) return;
        if (s == State.RESOLVING) {
            // a derivation cycle: linkParent of the type that closes it reports the whole chain once
            return;
        }
        state.put(type, State.RESOLVING);
        TypeDef def = type.definition();
        if (def.derivedFrom() != null) linkParent(type, def);
        state.put(type, State.DONE);
        resolveMembers(type);
    }

    private void linkParent(ResolvedType type, TypeDef def) {
        Name parentName = def.derivedFrom();
        if (type.kind() == TypeKind.DATA) {
            ValueType base = resolver.primitiveBase(parentName.value(), def.entrySchema(), def.keySchema(), type.scope());
            if (base != null) {
                type.base = base;
                return;
            }
        }
        ResolvedType parent = TypeSystem.lookup(type.scope(), type.kind(), parentName, problems);
        if (parent == null) return;
        if (parent == type) {
            problems.add(parentName.location(), "derivation cycle: " + type.kind().label() + " \"" + type.name()
                    + "\" derives from itself");
            return;
        }
        resolve(parent);
        if (state.get(type) == State.DONE) return; // a cycle through this type was reported while resolving
        if (parent.derivesFrom(type)) {
            problems.add(parentName.location(), "derivation cycle: " + cycleText(type, parent));
            return;
        }
        type.parent = parent;
        type.base = parent.base;
    }

    private static String cycleText(ResolvedType type, ResolvedType parent) {
        StringBuilder sb = new StringBuilder(type.name());
        for (ResolvedType t = parent; t != null && t != type; t = t.parent) sb.append(" -> ").append(t.name());
        return sb.append(" -> ").append(type.name()).toString();
    }

    private void resolveMembers(ResolvedType type) {
        ResolvedType parent = type.parent;
        TypeDef def = type.definition();
        Scope scope = type.scope();
        String owner = type.kind().label() + " \"" + type.name() + "\"";
        type.properties = ResolvedType.merge(parent == null ? Map.of() : parent.properties,
                resolver.properties(def.properties(), scope, owner));
        Map<String, ResolvedProperty> attributes = new LinkedHashMap<>(type.properties);
        attributes.putAll(parent == null ? Map.of() : parent.attributes);
        attributes.putAll(resolver.properties(def.attributes(), scope, owner));
        type.attributes = attributes;
        List<Constraint> constraints = new ArrayList<>(parent == null ? List.of() : parent.constraints);
        if (!def.constraints().isEmpty()) {
            if (type.base == null) {
                problems.add(def.constraints().get(0).location(), "constraints apply only to data types derived "
                        + "from a primitive type, a list or a map; " + type.name() + " has properties");
            } else {
                constraints.addAll(resolver.constraints(def.constraints(), type.base));
            }
        }
        type.constraints = constraints;
        if (type.base != null && !def.properties().isEmpty()) {
            problems.add(def.location(), owner + " derives from a primitive type and cannot have properties");
        }
        type.capabilities = ResolvedType.merge(parent == null ? Map.of() : parent.capabilities,
                capabilities(def.capabilities(), scope));
        type.requirements = ResolvedType.merge(parent == null ? Map.of() : parent.requirements,
                requirements(def.requirements(), scope));
        type.operations = ResolvedType.merge(parent == null ? Map.of() : parent.operations, def.operations());
        type.interfaces = interfaces(def.interfaces(), parent == null ? Map.of() : parent.interfaces, scope);
        type.validSourceTypes = def.validSourceTypes().isEmpty() && parent != null
                ? parent.validSourceTypes : lookupAll(def.validSourceTypes(), scope, TypeKind.NODE);
        type.validTargetTypes = def.validTargetTypes().isEmpty() && parent != null
                ? parent.validTargetTypes : lookupAll(def.validTargetTypes(), scope, TypeKind.CAPABILITY);
        lookupAll(def.members(), scope, TypeKind.NODE);
        for (Name target : def.targets()) { // a policy targets node types or group types
            if (scope.lookup(TypeKind.NODE, target.value()) == null
                    && scope.lookup(TypeKind.GROUP, target.value()) == null) {
                problems.add(target.location(), "unknown node or group type \"" + target.value() + "\" in the "
                        + "targets of policy type \"" + type.name() + "\"");
            }
        }
        def.artifacts().values().forEach(a -> TypeSystem.lookup(scope, TypeKind.ARTIFACT, a.type(), problems));
    }

    private List<ResolvedType> lookupAll(List<Name> names, Scope scope, TypeKind kind) {
        List<ResolvedType> out = new ArrayList<>();
        for (Name n : names) {
            ResolvedType t = scope.lookup(kind, n.value());
            if (t == null && kind == TypeKind.CAPABILITY) t = scope.lookup(TypeKind.NODE, n.value());
            if (t == null) TypeSystem.lookup(scope, kind, n, problems);
            else out.add(t);
        }
        return out;
    }

    // --- capabilities, requirements, interfaces ------------------------------------------------------

    private Map<String, ResolvedCapability> capabilities(Map<String, CapabilityDef> defs, Scope scope) {
        Map<String, ResolvedCapability> out = new LinkedHashMap<>();
        defs.forEach((name, def) -> {
            ResolvedType type = TypeSystem.lookup(scope, TypeKind.CAPABILITY, def.type(), problems);
            if (type == null) return;
            resolve(type);
            String owner = "capability \"" + name + "\"";
            Map<String, ResolvedProperty> props = ResolvedType.merge(type.properties,
                    resolver.properties(def.properties(), scope, owner));
            Map<String, ResolvedProperty> attrs = ResolvedType.merge(type.attributes,
                    resolver.properties(def.attributes(), scope, owner));
            attrs = ResolvedType.merge(attrs, props);
            List<ResolvedType> sources = def.validSourceTypes().isEmpty() ? type.validSourceTypes
                    : lookupAll(def.validSourceTypes(), scope, TypeKind.NODE);
            Occurrences occ = def.occurrences() == null ? new Occurrences(1, Occurrences.UNBOUNDED) : def.occurrences();
            out.put(name, new ResolvedCapability(name, type, props, attrs, sources, occ, def.location()));
        });
        return out;
    }

    private Map<String, ResolvedRequirement> requirements(List<RequirementDef> defs, Scope scope) {
        Map<String, ResolvedRequirement> out = new LinkedHashMap<>();
        for (RequirementDef def : defs) {
            if (out.containsKey(def.name().value())) {
                problems.add(def.name().location(), "requirement \"" + def.name().value() + "\" is defined twice");
                continue;
            }
            ResolvedType capability = TypeSystem.lookup(scope, TypeKind.CAPABILITY, def.capability(), problems);
            ResolvedType node = def.node() == null ? null
                    : TypeSystem.lookup(scope, TypeKind.NODE, def.node(), problems);
            ResolvedType relationship = def.relationship() == null ? null
                    : TypeSystem.lookup(scope, TypeKind.RELATIONSHIP, def.relationship(), problems);
            if (capability == null) continue;
            out.put(def.name().value(), new ResolvedRequirement(def.name().value(), capability, node,
                    relationship, def.occurrences(), def.location()));
        }
        return out;
    }

    private Map<String, ResolvedInterface> interfaces(Map<String, InterfaceDef> defs,
                                                      Map<String, ResolvedInterface> inherited, Scope scope) {
        Map<String, ResolvedInterface> out = new LinkedHashMap<>(inherited);
        defs.forEach((name, def) -> {
            ResolvedInterface base = inherited.get(name);
            ResolvedType type = def.type() == null ? (base == null ? null : base.type())
                    : TypeSystem.lookup(scope, TypeKind.INTERFACE, def.type(), problems);
            if (def.type() == null && base == null) {
                problems.add(def.location(), "interface \"" + name + "\" has no \"type\"");
            }
            if (type == null) return;
            resolve(type);
            ResolvedInterface merged = resolver.merge(base != null ? base : TypeResolver.declared(name, type), def,
                    type);
            if (merged != null) out.put(name, merged);
        });
        return out;
    }

}
