package io.imagebuilder.exec;

/** Receives the output of a process one line at a time. */
@FunctionalInterface
public interface LineSink {

    LineSink DISCARD = line -> { };

    void line(String text);
}
