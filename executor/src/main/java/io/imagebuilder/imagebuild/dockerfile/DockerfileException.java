package io.imagebuilder.imagebuild.dockerfile;

import java.util.OptionalInt;

/**
 * A Dockerfile that cannot be read, or a base-image override that cannot be applied to it. The message starts with
 * {@code line N: } when one line is at fault, so a user can go straight to it.
 */
public final class DockerfileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** 1-based; 0 when the problem is not tied to one line (a missing FROM, an unknown stage, a bad new base). */
    private final int line;

    DockerfileException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    DockerfileException(String problem) {
        super(problem);
        this.line = 0;
    }

    /** The 1-based line the problem is on, when it is on one. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }
}
