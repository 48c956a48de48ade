package io.imagebuilder.util;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/** Immutable copies that keep insertion order: plans and messages must come out the same on every run. */
public final class Maps {

    private static final Map<?, ?> EMPTY = new Small<>(new Object[0], new Object[0]);
    /**
     * Maps of at most this many entries are kept as two arrays and searched in order. Nearly every map of a
     * topology is this small (a node's properties, a value's keys, an operation's inputs), and a large template
     * holds millions of them for as long as it is used: a hash table of its own for each was most of its memory,
     * and copying that memory most of the garbage collector's work.
     */
    static final int SMALL = 8;

    private Maps() {
    }

    /**
     * An immutable copy in the same order. A map that came from here is returned as it is: values pass through
     * several immutable models on their way to a plan, and copying them at every step was most of the work.
     */
    public static <K, V> Map<K, V> copy(Map<K, V> map) {
        if (map instanceof Frozen<K, V> || map instanceof Small<K, V>) return map;
        return map.size() <= SMALL ? small(map) : new Frozen<>(new LinkedHashMap<>(map));
    }

    /** Wraps a map the caller has just built and will not touch again; a small one is copied into less memory. */
    public static <K, V> Map<K, V> own(LinkedHashMap<K, V> map) {
        return map.size() <= SMALL ? small(map) : new Frozen<>(map);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Map<K, V> small(Map<K, V> map) {
        if (map.isEmpty()) return (Map<K, V>) EMPTY;
        Object[] keys = new Object[map.size()];
        Object[] values = new Object[map.size()];
        int i = 0;
        for (Map.Entry<K, V> e : map.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new Small<>(keys, values);
    }

    /** A few entries in insertion order; looking one up compares at most {@link #SMALL} keys. */
    private static final class Small<K, V> extends AbstractMap<K, V> {
        private final Object[] keys;
        private final Object[] values;

        Small(Object[] keys, Object[] values) {
            this.keys = keys;
            this.values = values;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.length; i++) {
                if (Objects.equals(keys[i], key)) return i;
            }
            return -1;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : (V) values[i];
        }

        @Override
        @SuppressWarnings("unchecked")
        public V getOrDefault(Object key, V defaultValue) {
            int i = indexOf(key);
            return i < 0 ? defaultValue : (V) values[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public boolean isEmpty() {
            return keys.length == 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(BiConsumer<? super K, ? super V> action) {
            for (int i = 0; i < keys.length; i++) action.accept((K) keys[i], (V) values[i]);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Set<Entry<K, V>> entrySet() {
            return new ArraySet<>(keys.length, i -> new SimpleImmutableEntry<>((K) keys[i], (V) values[i]));
        }

        /** Without entries built only to be taken apart: function calls are recognised by their only key. */
        @Override
        @SuppressWarnings("unchecked")
        public Set<K> keySet() {
            return new ArraySet<>(keys.length, i -> (K) keys[i]);
        }
    }

    /** A read-only view of the {@code size} items that {@code item} gives for the indexes 0 to size - 1. */
    private static final class ArraySet<T> extends AbstractSet<T> {
        private final int size;
        private final IntFunction<T> item;

        ArraySet(int size, IntFunction<T> item) {
            this.size = size;
            this.item = item;
        }

        @Override
        public Iterator<T> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public T next() {
                    if (next >= size) throw new NoSuchElementException();
                    return item.apply(next++);
                }
            };
        }

        @Override
        public int size() {
            return size;
        }
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
