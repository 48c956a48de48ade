package io.imagebuilder.tosca.types;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.secret.SecretNames;
import io.imagebuilder.tosca.syntax.ConstraintDef;
import io.imagebuilder.tosca.syntax.InterfaceDef;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.OperationDef;
import io.imagebuilder.tosca.syntax.PropertyDef;
import io.imagebuilder.tosca.syntax.SchemaDef;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.Coercer;
import io.imagebuilder.tosca.value.Constraint;
import io.imagebuilder.tosca.value.PrimitiveType;
import io.imagebuilder.tosca.value.ValueException;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns definitions into resolved values: the value types of properties and schemas, properties with their
 * constraints, and interfaces refined by a definition or assignment. The types phase uses it while it resolves
 * types; the phases after it use it for the definitions of templates, once every type is resolved.
 */
public final class TypeResolver {

    private final Problems problems;
    private final Consumer<ResolvedType> resolveData;
    private final Consumer<Runnable> defer;

    /**
     * @param resolveData resolves a data type the first time a value type names it
     * @param defer       keeps a check of a default value until every type is known
     */
    TypeResolver(Problems problems, Consumer<ResolvedType> resolveData, Consumer<Runnable> defer) {
        this.problems = problems;
        this.resolveData = resolveData;
        this.defer = defer;
    }

    /**
     * For the phases after the types phase: every type is resolved then, and the defaults of a template's own
     * definitions are checked as values where they are used.
     */
    public static TypeResolver afterTypes(Problems problems) {
        return new TypeResolver(problems, type -> { }, check -> { });
    }

    ValueType primitiveBase(String name, SchemaDef entry, SchemaDef key, Scope scope) {
        if (name.equals("list") || name.equals("tosca:list")) return new ValueType.ListOf(
                entry == null ? new ValueType.Any() : schemaType(entry, scope), entryConstraints(entry, scope));
        if (name.equals("map") || name.equals("tosca:map")) return mapType(entry, key, scope);
        return PrimitiveType.byName(name).<ValueType>map(ValueType.Primitive::new).orElse(null);
    }

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
            defer.accept(() -> {
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
        resolveData.accept(data);
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
                        + opName + "\"" + Suggestions.didYouMean(opName,
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
