package io.imagebuilder.yaml;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A mapping with string keys; keys keep their own locations so problems can point at them. */
public record YMap(Map<String, YNode> entries, Map<String, Location> keyLocations, Location location) implements YNode {

    public YMap {
        entries = Maps.copy(entries);
        keyLocations = Maps.copy(keyLocations);
    }

    public static YMap empty(Location location) {
        return new YMap(Map.of(), Map.of(), location);
    }

    public YNode get(String key) {
        return entries.get(key);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public int size() {
        return entries.size();
    }

    public Location keyLocation(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    @Override
    public Object toPlain() {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.toPlain()));
        return out;
    }

    @Override
    public String describe() {
        return "a map";
    }
}
