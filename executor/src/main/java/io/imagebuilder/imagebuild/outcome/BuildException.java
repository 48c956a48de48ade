package io.imagebuilder.imagebuild.outcome;

/** A build could not be done; the message is for the user and never holds a secret. */
public final class BuildException extends Exception {

    /** What the build did before it failed, when it got as far as building; null otherwise. */
    private final transient BuildOutcome partial;

    public BuildException(String message) {
        this(message, (BuildOutcome) null);
    }

    public BuildException(String message, BuildOutcome partial) {
        super(message);
        this.partial = partial;
    }

    public BuildOutcome partial() {
        return partial;
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
        this.partial = null;
    }
}
