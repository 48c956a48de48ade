package io.imagebuilder.yaml;

import io.imagebuilder.problem.Location;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds located nodes from plain values, for values that come from run time rather than from a file. */
public final class YNodes {

    private YNodes() {
    }

    public static YNode of(Object value, Location at) {
        if (value instanceof Map<?, ?> map) {
            Map<String, YNode> entries = new LinkedHashMap<>();
            Map<String, Location> keys = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                entries.put(String.valueOf(k), of(v, at));
                keys.put(String.valueOf(k), at);
            });
            return new YMap(entries, keys, at);
        }
        if (value instanceof List<?> list) {
            List<YNode> items = new ArrayList<>();
            for (Object o : list) items.add(of(o, at));
            return new YSeq(items, at);
        }
        if (value instanceof Integer i) return YScalar.of(i.longValue(), at);
        if (value instanceof Float f) return YScalar.of(f.doubleValue(), at);
        if (value instanceof BigInteger b && b.bitLength() < 64) return YScalar.of(b.longValue(), at);
        if (value == null || value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean || value instanceof BigInteger) {
            return YScalar.of(value, at);
        }
        return YScalar.of(String.valueOf(value), at);
    }
}
