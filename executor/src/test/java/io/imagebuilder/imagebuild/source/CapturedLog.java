package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.LineSink;

import java.util.ArrayList;
import java.util.List;

/** Keeps every logged line, so tests can check what users would see. */
final class CapturedLog implements LineSink {

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void line(String text) {
        lines.add(text);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized String text() {
        return String.join("\n", lines);
    }
}
