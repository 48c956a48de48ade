package io.imagebuilder.secret;

import io.imagebuilder.exec.LineSink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Masks known secret values wherever they show up: output lines, log files, state, error messages.
 * Secrets are learnt from the topology (secret inputs and properties) before anything runs.
 */
public final class Redactor {

    public static final String MASK = "****";
    /** Shorter values would mask ordinary words; such secrets are refused nowhere, only not searched for. */
    private static final int MIN_LENGTH = 4;

    private final List<String> secrets;

    public Redactor(Set<String> secrets) {
        TreeSet<String> sorted = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_LENGTH) sorted.add(s);
        }
        this.secrets = List.copyOf(sorted);
    }

    public static Redactor none() {
        return new Redactor(Set.of());
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) return text;
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }

    /** Masks every string inside a plain value (maps, lists) the same way. */
    public Object redactValue(Object value) {
        if (value instanceof String s) return redact(s);
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) out.add(redactValue(o));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), redactValue(v)));
            return out;
        }
        return value;
    }

    public LineSink wrap(LineSink sink) {
        return line -> sink.line(redact(line));
    }
}
