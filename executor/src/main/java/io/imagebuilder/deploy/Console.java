package io.imagebuilder.deploy;

import java.io.PrintWriter;

/** The deployment's console output; lines from concurrent operations never interleave mid-line. */
public final class Console {

    private final PrintWriter out;

    public Console(PrintWriter out) {
        this.out = out;
    }

    public synchronized void line(String text) {
        out.println(text);
        out.flush();
    }
}
