package io.imagebuilder.deploy;

/** An operation did not succeed; the message names the node, the operation and the cause, for the user. */
public final class OperationFailedException extends Exception {

    private final String node;
    private final String operation;
    private final String reason;

    public OperationFailedException(OperationRequest request, String reason) {
        this(request.node(), request.operation(), reason);
    }

    public OperationFailedException(String node, String operation, String reason) {
        super("node \"" + node + "\", operation " + operation + ": " + reason);
        this.node = node;
        this.operation = operation;
        this.reason = reason;
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
