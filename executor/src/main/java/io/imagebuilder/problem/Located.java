package io.imagebuilder.problem;

/** Anything that knows where in a source file it was written, so a problem can point at it. */
public interface Located {

    Location location();
}
