package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.secret.SecretNames;
import io.imagebuilder.tosca.syntax.CapabilityDef;
import io.imagebuilder.tosca.syntax.ConstraintDef;
import io.imagebuilder.tosca.syntax.InterfaceDef;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.Occurrences;
import io.imagebuilder.tosca.syntax.OperationDef;
import io.imagebuilder.tosca.syntax.PropertyDef;
import io.imagebuilder.tosca.syntax.RequirementDef;
import io.imagebuilder.tosca.syntax.SchemaDef;
import io.imagebuilder.tosca.syntax.TypeDef;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.Coercer;
import io.imagebuilder.tosca.value.Constraint;
import io.imagebuilder.tosca.value.PrimitiveType;
import io.imagebuilder.tosca.value.ValueException;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The types phase: links every type to its parent (reporting unknown parents and derivation cycles),
 * merges inherited members, resolves the types of properties, and checks defaults against them.
 */
public final class TypesPhase {

    private enum State { RESOLVING, DONE }

    private final Problems problems;
    private final Map<ResolvedType, State> state = new IdentityHashMap<>();
    private final List<Runnable> deferredChecks = new ArrayList<>();

    public TypesPhase(Problems problems) {
        this.problems = problems;
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
            ValueType base = primitiveBase(parentName.value(), def.entrySchema(), def.keySchema(), type.scope());
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

    private ValueType primitiveBase(String name, SchemaDef entry, SchemaDef key, Scope scope) {
        if (name.equals("list") || name.equals("tosca:list")) return new ValueType.ListOf(
                entry == null ? new ValueType.Any() : schemaType(entry, scope), entryConstraints(entry, scope));
        if (name.equals("map") || name.equals("tosca:map")) return mapType(entry, key, scope);
        return PrimitiveType.byName(name).<ValueType>map(ValueType.Primitive::new).orElse(null);
    }

    private void resolveMembers(ResolvedType type) {
        ResolvedType parent = type.parent;
        TypeDef def = type.definition();
        Scope scope = type.scope();
        String owner = type.kind().label() + " \"" + type.name() + "\"";
        type.properties = ResolvedType.merge(parent == null ? Map.of() : parent.properties,
                properties(def.properties(), scope, owner));
        Map<String, ResolvedProperty> attributes = new LinkedHashMap<>(type.properties);
        attributes.putAll(parent == null ? Map.of() : parent.attributes);
        attributes.putAll(properties(def.attributes(), scope, owner));
        type.attributes = attributes;
        List<Constraint> constraints = new ArrayList<>(parent == null ? List.of() : parent.constraints);
        if (!def.constraints().isEmpty()) {
            if (type.base == null) {
                problems.add(def.constraints().get(0).location(), "constraints apply only to data types derived "
                        + "from a primitive type, a list or a map; " + type.name() + " has properties");
            } else {
                constraints.addAll(constraints(def.constraints(), type.base));
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

    // --- properties ----------------------------------------------------------------------------------

    Map<String, ResolvedProperty> properties(Map<String, PropertyDef> defs, Scope scope, String owner) {
        Map<String, ResolvedProperty> out = new LinkedHashMap<>();
        defs.forEach((name, def) -> {
            ResolvedProperty p = property(def, scope, owner);
            if (p != null) out.put(name, p);
        });
        return out;
    }

    /** Resolves one definition; its default is checked once every type is known. */
    public ResolvedProperty property(PropertyDef def, Scope scope, String owner) {
        if (def.type() == null) return null;
        ValueType type = valueType(def.type(), def.entrySchema(), def.keySchema(), scope);
        if (type == null) return null;
        List<Constraint> constraints = constraints(def.constraints(), type);
        boolean secret = SecretNames.isSecret(def.name().value()) || type.secret();
        ResolvedProperty p = new ResolvedProperty(def.name().value(), type, constraints, def.required(),
                def.defaultValue(), def.description(), secret, def.location());
        if (def.defaultValue() != null) {
            YNode dflt = def.defaultValue();
            String what = "default of \"" + def.name().value() + "\" in " + owner;
            deferredChecks.add(() -> {
                if (secret) new ValueChecker(problems).checkSecret(dflt, type, constraints, what);
                else new ValueChecker(problems).check(dflt, type, constraints, what);
            });
        }
        if ("deprecated".equals(def.status()) || def.status() == null || Set.of("supported", "experimental",
                "unsupported").contains(def.status())) {
            return p;
        }
        problems.add(def.location(), "unknown status \"" + def.status()
                + "\"; expected supported, unsupported, experimental or deprecated");
        return p;
    }

    public ValueType valueType(Name typeName, SchemaDef entry, SchemaDef key, Scope scope) {
        String name = typeName.value();
        if (name.equals("list") || name.equals("tosca:list")) {
            return new ValueType.ListOf(entry == null ? new ValueType.Any() : schemaType(entry, scope),
                    entryConstraints(entry, scope));
        }
        if (name.equals("map") || name.equals("tosca:map")) return mapType(entry, key, scope);
        var primitive = PrimitiveType.byName(name);
        if (primitive.isPresent()) return new ValueType.Primitive(primitive.get());
        ResolvedType data = TypeSystem.lookup(scope, TypeKind.DATA, typeName, problems);
        if (data == null) return null;
        resolve(data);
        return new ValueType.Data(data);
    }

    private ValueType mapType(SchemaDef entry, SchemaDef key, Scope scope) {
        List<Constraint> keyConstraints = key == null ? List.of()
                : constraints(key.constraints(), new ValueType.Primitive(PrimitiveType.STRING));
        if (key != null && key.type() != null && !PrimitiveType.byName(key.type().value()).equals(
                java.util.Optional.of(PrimitiveType.STRING))) {
            ResolvedType keyData = scope.lookup(TypeKind.DATA, key.type().value());
            if (keyData == null || !(keyData.base() instanceof ValueType.Primitive p && p.type() == PrimitiveType.STRING)) {
                problems.add(key.location(), "map keys must be strings; key_schema type \"" + key.type().value()
                        + "\" is not a string type");
            }
        }
        return new ValueType.MapOf(entry == null ? new ValueType.Any() : schemaType(entry, scope), keyConstraints,
                entryConstraints(entry, scope));
    }

    private ValueType schemaType(SchemaDef schema, Scope scope) {
        if (schema.type() == null) return new ValueType.Any();
        ValueType t = valueType(schema.type(), schema.entrySchema(), schema.keySchema(), scope);
        return t == null ? new ValueType.Any() : t;
    }

    private List<Constraint> entryConstraints(SchemaDef schema, Scope scope) {
        if (schema == null || schema.constraints().isEmpty()) return List.of();
        return constraints(schema.constraints(), schemaType(schema, scope));
    }

    public List<Constraint> constraints(List<ConstraintDef> defs, ValueType type) {
        List<Constraint> out = new ArrayList<>();
        Coercer coercer = coercer(type);
        for (ConstraintDef def : defs) {
            try {
                out.add(Constraint.parse(def.operator(), def.argument().toPlain(), coercer));
            } catch (ValueException e) {
                problems.add(def.location(), "invalid constraint for " + type.describe() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static Coercer coercer(ValueType type) {
        ValueType t = type;
        while (t instanceof ValueType.Data d && d.type().base() != null) t = d.type().base();
        // a range is constrained by integer bounds
        if (t instanceof ValueType.Primitive p && p.type() == PrimitiveType.RANGE) return PrimitiveType.INTEGER::coerce;
        if (t instanceof ValueType.Primitive p) return p.type()::coerce;
        return raw -> raw;
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
                    properties(def.properties(), scope, owner));
            Map<String, ResolvedProperty> attrs = ResolvedType.merge(type.attributes,
                    properties(def.attributes(), scope, owner));
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
            ResolvedInterface merged = merge(base != null ? base : declared(name, type), def, type);
            if (merged != null) out.put(name, merged);
        });
        return out;
    }

    /** The interface as its type declares it: the operations exist, with nothing to run yet. */
    public static ResolvedInterface declared(String name, ResolvedType type) {
        return new ResolvedInterface(name, type, type.definition().inputs(), type.operations);
    }

    /** Refines an interface with a definition or assignment: operations named there replace or complete inherited ones. */
    public ResolvedInterface merge(ResolvedInterface base, InterfaceDef def, ResolvedType type) {
        Map<String, OperationDef> operations = new LinkedHashMap<>(base.operations());
        def.operations().forEach((opName, op) -> {
            if (!type.operations.containsKey(opName) && !base.operations().containsKey(opName)) {
                problems.add(op.name().location(), "interface type " + type.name() + " has no operation \""
                        + opName + "\"" + io.imagebuilder.problem.Suggestions.didYouMean(opName,
                        type.operations.keySet()) + (type.operations.isEmpty() ? ""
                        : "; expected one of " + String.join(", ", type.operations.keySet())));
                return;
            }
            operations.put(opName, refine(base.operations().get(opName), op));
        });
        return new ResolvedInterface(base.name(), type, ResolvedType.merge(base.inputs(), def.inputs()), operations);
    }

    private static OperationDef refine(OperationDef inherited, OperationDef own) {
        if (inherited == null) return own;
        return new OperationDef(own.name(), own.description() != null ? own.description() : inherited.description(),
                own.implementation() != null ? own.implementation() : inherited.implementation(),
                ResolvedType.merge(inherited.inputs(), own.inputs()),
                ResolvedType.merge(inherited.outputs(), own.outputs()), own.location());
    }
}
