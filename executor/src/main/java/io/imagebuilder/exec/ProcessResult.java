package io.imagebuilder.exec;

/** How a process ended. {@code timedOut} and {@code cancelled} mean it was stopped, not that it finished. */
public record ProcessResult(int exitCode, boolean timedOut, boolean cancelled) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut && !cancelled;
    }
}
