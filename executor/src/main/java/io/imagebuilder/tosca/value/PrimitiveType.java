package io.imagebuilder.tosca.value;

import java.util.Optional;

/** The TOSCA 1.3 primitive and special types whose values are single scalars (or a range). */
public enum PrimitiveType {
    STRING("string"),
    INTEGER("integer"),
    FLOAT("float"),
    BOOLEAN("boolean"),
    NULL("null"),
    TIMESTAMP("timestamp"),
    VERSION("version"),
    RANGE("range"),
    SIZE("scalar-unit.size"),
    TIME("scalar-unit.time"),
    FREQUENCY("scalar-unit.frequency"),
    BITRATE("scalar-unit.bitrate");

    private static final String PREFIX = "tosca:";

    private final String toscaName;

    PrimitiveType(String toscaName) {
        this.toscaName = toscaName;
    }

    public String toscaName() {
        return toscaName;
    }

    /** Looks up by TOSCA name; also accepts the "tosca:" prefixed form, e.g. "tosca:integer". */
    public static Optional<PrimitiveType> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        for (PrimitiveType type : values()) {
            if (type.toscaName.equals(bare)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * Converts a raw YAML value to a canonical, comparable Java value, or throws ValueException.
     * Values that are already canonical for this type pass through, so coercing twice is harmless.
     */
    public Object coerce(Object raw) throws ValueException {
        return switch (this) {
            case STRING -> Primitives.string(raw);
            case INTEGER -> Primitives.integer(raw);
            case FLOAT -> Primitives.floating(raw);
            case BOOLEAN -> Primitives.bool(raw);
            case NULL -> Primitives.nothing(raw);
            case TIMESTAMP -> Timestamps.coerce(raw);
            case VERSION -> Version.coerce(raw);
            case RANGE -> Range.coerce(raw);
            case SIZE, TIME, FREQUENCY, BITRATE -> ScalarUnits.coerce(this, raw);
        };
    }

    boolean isScalarUnit() {
        return this == SIZE || this == TIME || this == FREQUENCY || this == BITRATE;
    }
}
