package io.imagebuilder.build;

/** A build could not be done; the message is for the user and never holds a secret. */
public final class BuildException extends Exception {

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
