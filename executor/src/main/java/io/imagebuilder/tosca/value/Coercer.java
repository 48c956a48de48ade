package io.imagebuilder.tosca.value;

/** Turns a raw YAML value into the canonical value of some type. */
@FunctionalInterface
public interface Coercer {
    Object coerce(Object raw) throws ValueException;
}
