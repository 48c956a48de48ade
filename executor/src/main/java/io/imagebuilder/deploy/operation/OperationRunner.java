package io.imagebuilder.deploy.operation;

/** Carries out one kind of operation implementation: Ansible playbooks, shell scripts, built-in steps. */
public interface OperationRunner {

    /** Whether this runner handles the implementation's primary artifact (by extension or builtin: name). */
    boolean handles(String primary);

    /**
     * Runs the operation to completion. A failure, timeout or cancellation throws OperationFailedException with
     * the cause worded for the user.
     */
    OperationResult run(OperationRequest request) throws OperationFailedException;
}
