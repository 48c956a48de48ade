package io.imagebuilder.tosca.value;

/**
 * A user-facing problem with a value; the message is complete English, e.g.
 * {@code expected an integer, got the string "abc"}.
 */
public final class ValueException extends Exception {
    private static final long serialVersionUID = 1L;

    public ValueException(String message) {
        super(message);
    }
}
