package io.imagebuilder.deploy.operation;

/** An operation did not succeed; the message names the node, the operation and the cause, for the user. */
public final class OperationFailedException extends Exception {

    private final String node;
    private final String operation;
    private final String reason;
    /** Attributes the operation set before it failed, such as what it had already done; kept in the state. */
    private final transient java.util.Map<String, Object> attributes;

    public OperationFailedException(OperationRequest request, String reason) {
        this(request.node(), request.operation(), reason);
    }

    public OperationFailedException(OperationRequest request, String reason, java.util.Map<String, Object> attributes) {
        this(request.node(), request.operation(), reason, attributes);
    }

    /** The operation ran past its timeout and was stopped; {@code attributes} as for any failure. */
    public static OperationFailedException timedOut(OperationRequest request, java.util.Map<String, Object> attributes) {
        java.time.Duration d = request.timeout();
        String limit = d.toMillis() % 1000 == 0 ? d.toSeconds() + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        return new OperationFailedException(request, "timed out after " + limit, attributes);
    }

    public OperationFailedException(String node, String operation, String reason) {
        this(node, operation, reason, java.util.Map.of());
    }

    public OperationFailedException(String node, String operation, String reason,
                                    java.util.Map<String, Object> attributes) {
        super("node \"" + node + "\", operation " + operation + ": " + reason);
        this.node = node;
        this.operation = operation;
        this.reason = reason;
        this.attributes = attributes == null ? java.util.Map.of() : attributes;
    }

    public java.util.Map<String, Object> attributes() {
        return attributes;
    }

    public String node() {
        return node;
    }

    public String operation() {
        return operation;
    }

    public String reason() {
        return reason;
    }
}
