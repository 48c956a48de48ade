package io.imagebuilder.imagebuild.source;

/**
 * A build's source could not be fetched. The message is meant for the user: it names what was wrong and never
 * contains a password, a token or a URL with credentials. It carries no cause, because the messages of the
 * underlying libraries may quote such URLs.
 */
public final class SourceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean cancelled;

    public SourceException(String message) {
        this(message, false);
    }

    private SourceException(String message, boolean cancelled) {
        super(message);
        this.cancelled = cancelled;
    }

    static SourceException cancelledRun() {
        return new SourceException("cancelled", true);
    }

    /** True when the fetch stopped because its Cancellation was triggered, not because of an error. */
    public boolean cancelled() {
        return cancelled;
    }
}
