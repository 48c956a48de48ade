package io.imagebuilder.cli;

/** 0 success; 1 a run failed; 2 the input was invalid and nothing was done. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID_INPUT = 2;

    private ExitCodes() {
    }
}
