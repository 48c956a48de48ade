package io.imagebuilder.util;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Immutable copies that keep insertion order: plans and messages must come out the same on every run. */
public final class Maps {

    private static final Map<?, ?> EMPTY = new Frozen<>(new LinkedHashMap<>());

    private Maps() {
    }

    /**
     * An immutable copy in the same order. A map that came from here is returned as it is: values pass through
     * several immutable models on their way to a plan, and copying them at every step was most of the work.
     */
    public static <K, V> Map<K, V> copy(Map<K, V> map) {
        if (map instanceof Frozen<K, V>) return map;
        return own(new LinkedHashMap<>(map));
    }

    /** Wraps a map the caller has just built and will not touch again, without copying it. */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> own(LinkedHashMap<K, V> map) {
        return map.isEmpty() ? (Map<K, V>) EMPTY : new Frozen<>(map);
    }

    /** A read-only view of a map nothing else holds. */
    private static final class Frozen<K, V> extends AbstractMap<K, V> {
        private final Map<K, V> map;

        Frozen(LinkedHashMap<K, V> map) {
            this.map = Collections.unmodifiableMap(map);
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return map.entrySet();
        }

        @Override
        public Set<K> keySet() {
            return map.keySet();
        }

        @Override
        public java.util.Collection<V> values() {
            return map.values();
        }

        @Override
        public V get(Object key) {
            return map.get(key);
        }

        @Override
        public V getOrDefault(Object key, V defaultValue) {
            return map.getOrDefault(key, defaultValue);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public void forEach(BiConsumer<? super K, ? super V> action) {
            map.forEach(action);
        }
    }
}
