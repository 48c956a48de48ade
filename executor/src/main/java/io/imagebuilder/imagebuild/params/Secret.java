package io.imagebuilder.imagebuild.params;

import io.imagebuilder.secret.Redactor;

/** A password or token. Never printed: toString masks it, so it cannot leak through logs or messages by accident. */
public record Secret(String value) {

    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    @Override
    public String toString() {
        return Redactor.MASK;
    }
}
