package io.imagebuilder.deploy.ansible;

import io.imagebuilder.exec.LineSink;

import java.util.ArrayDeque;
import java.util.Deque;

/** Passes every line on, keeping the last non-empty ones to explain a failure no job event explains. */
final class OutputTail implements LineSink {

    private static final int KEPT = 40;

    private final LineSink sink;
    private final Deque<String> last = new ArrayDeque<>();

    OutputTail(LineSink sink) {
        this.sink = sink == null ? LineSink.DISCARD : sink;
    }

    @Override
    public void line(String text) {
        sink.line(text);
        String stripped = text.strip();
        if (stripped.isEmpty()) return;
        synchronized (last) {
            if (last.size() == KEPT) last.removeFirst();
            last.addLast(stripped);
        }
    }

    /** Ansible's own error ("ERROR! …") when it printed one, else the last line, else null. */
    String explanation() {
        synchronized (last) {
            for (var it = last.descendingIterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("ERROR!")) return line;
            }
            return last.peekLast();
        }
    }
}
