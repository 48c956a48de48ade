package io.imagebuilder.tosca.syntax;

import io.imagebuilder.yaml.YNode;

/**
 * An operation or interface input: either a definition (type, default) as types write them,
 * or a value assignment as templates write them. Exactly one of the two is set.
 */
public record InputDef(Name name, PropertyDef definition, YNode value) {

    public static InputDef defined(PropertyDef definition) {
        return new InputDef(definition.name(), definition, null);
    }

    public static InputDef assigned(Name name, YNode value) {
        return new InputDef(name, null, value);
    }

    /**
     * The value to use when no template assigns one: the assignment, else the definition's fixed {@code value}
     * (TOSCA 1.3 parameter definitions may carry one), else its default.
     */
    public YNode effectiveValue() {
        if (value != null) return value;
        if (definition == null) return null;
        return definition.value() != null ? definition.value() : definition.defaultValue();
    }
}
