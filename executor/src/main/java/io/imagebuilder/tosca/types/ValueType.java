package io.imagebuilder.tosca.types;

import io.imagebuilder.tosca.value.Constraint;
import io.imagebuilder.tosca.value.PrimitiveType;

import java.util.List;

/** The type of a property, attribute or input value. */
public sealed interface ValueType {

    /** How messages name the type, e.g. "list of string". */
    String describe();

    /** Whether values of this type must be masked in output. */
    default boolean secret() {
        return false;
    }

    record Primitive(PrimitiveType type) implements ValueType {
        @Override
        public String describe() {
            return type.toscaName();
        }
    }

    record ListOf(ValueType entry, List<Constraint> entryConstraints) implements ValueType {
        public ListOf {
            entryConstraints = List.copyOf(entryConstraints);
        }

        @Override
        public String describe() {
            return "list of " + entry.describe();
        }
    }

    record MapOf(ValueType entry, List<Constraint> keyConstraints, List<Constraint> entryConstraints)
            implements ValueType {
        public MapOf {
            keyConstraints = List.copyOf(keyConstraints);
            entryConstraints = List.copyOf(entryConstraints);
        }

        @Override
        public String describe() {
            return "map of " + entry.describe();
        }
    }

    /** A user or normative data type; its definition is resolved lazily so types may refer to themselves. */
    record Data(ResolvedType type) implements ValueType {
        @Override
        public String describe() {
            return type.name();
        }

        @Override
        public boolean secret() {
            return type.isSecret();
        }
    }

    /** A list or map declared without entry_schema: members are not checked. */
    record Any() implements ValueType {
        @Override
        public String describe() {
            return "any value";
        }
    }
}
