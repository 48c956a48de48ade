package io.imagebuilder.tosca.types;

import io.imagebuilder.tosca.syntax.OperationDef;
import io.imagebuilder.tosca.syntax.TypeDef;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.value.Constraint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A type with its parent linked and its members merged down the derivation chain.
 * Built by {@link TypesPhase}; read-only afterwards.
 */
public final class ResolvedType {

    private final TypeDef def;
    private final Scope scope;
    ResolvedType parent;
    /** For data types derived from a primitive, list or map: the type their values take. */
    ValueType base;
    Map<String, ResolvedProperty> properties = Map.of();
    Map<String, ResolvedProperty> attributes = Map.of();
    Map<String, ResolvedCapability> capabilities = Map.of();
    Map<String, ResolvedRequirement> requirements = Map.of();
    Map<String, ResolvedInterface> interfaces = Map.of();
    Map<String, OperationDef> operations = Map.of();
    List<Constraint> constraints = List.of();
    List<ResolvedType> validSourceTypes = List.of();
    List<ResolvedType> validTargetTypes = List.of();

    ResolvedType(TypeDef def, Scope scope) {
        this.def = def;
        this.scope = scope;
    }

    public TypeKind kind() {
        return def.kind();
    }

    public String name() {
        return def.name().value();
    }

    public TypeDef definition() {
        return def;
    }

    Scope scope() {
        return scope;
    }

    public ResolvedType parent() {
        return parent;
    }

    public ValueType base() {
        return base;
    }

    public boolean derivesFrom(ResolvedType other) {
        for (ResolvedType t = this; t != null; t = t.parent) {
            if (t == other) return true;
        }
        return false;
    }

    public boolean derivesFrom(String typeName) {
        for (ResolvedType t = this; t != null; t = t.parent) {
            if (t.name().equals(typeName)) return true;
        }
        return false;
    }

    /** A data type marked {@code metadata: {secret: true}}, or derived from one, holds values to mask. */
    public boolean isSecret() {
        for (ResolvedType t = this; t != null; t = t.parent) {
            if ("true".equalsIgnoreCase(t.def.metadata().get("secret"))) return true;
        }
        return false;
    }

    public Map<String, ResolvedProperty> properties() {
        return properties;
    }

    /** Attributes, and properties too: TOSCA lets get_attribute read a property. */
    public Map<String, ResolvedProperty> attributes() {
        return attributes;
    }

    public Map<String, ResolvedCapability> capabilities() {
        return capabilities;
    }

    public Map<String, ResolvedRequirement> requirements() {
        return requirements;
    }

    public Map<String, ResolvedInterface> interfaces() {
        return interfaces;
    }

    public Map<String, OperationDef> operations() {
        return operations;
    }

    public List<Constraint> constraints() {
        return constraints;
    }

    public List<ResolvedType> validSourceTypes() {
        return validSourceTypes;
    }

    public List<ResolvedType> validTargetTypes() {
        return validTargetTypes;
    }

    static <V> Map<String, V> merge(Map<String, V> inherited, Map<String, V> own) {
        Map<String, V> out = new LinkedHashMap<>(inherited);
        out.putAll(own);
        return out;
    }

    @Override
    public String toString() {
        return name();
    }
}
