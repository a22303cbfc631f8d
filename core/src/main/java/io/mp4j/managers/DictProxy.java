package io.mp4j.managers;

import io.mp4j.managers.DataServants.Dict;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Map} that lives in a manager (Python's {@code manager.dict()}, a {@code DictProxy}); keys keep their
 * insertion order, as in a Python dict.
 * <pre>{@code
 * try (SyncManager m = ctx.manager()) {
 *     Map<String, Integer> d = m.dict(String.class, Integer.class);
 *     ctx.process(Workers::fill, d).start();        // the child's d.put(...) is seen here
 * }
 * }</pre>
 *
 * <p>Every method is one request to the server and atomic there, including {@link #putIfAbsent},
 * {@link #replace(Object, Object, Object)}, {@link #remove(Object, Object)} and {@link #putAll}. The default
 * methods that take a function ({@code compute}, {@code merge}, {@code computeIfAbsent}, {@code replaceAll}) run
 * the function here, between a get and a put: another process may change the entry in between; guard them with a
 * manager lock when that matters.
 *
 * <p>Keys and values are stored encoded (see {@link BaseProxy}): a value fetched is a copy. Two keys are the same
 * key when their encoded forms are equal: exactly for numbers (of one class: {@code 1} and {@code 1L} are two
 * keys, as {@code Integer.equals} says), strings, records and lists of them; a map used as a key must iterate in
 * the same order. Values decode as the value type given to {@code manager.dict(keyType, valueType)} (a record
 * of that type needs no registration), else as what the codec decodes for {@code Object}.
 *
 * <p>The views ({@link #keySet()}, {@link #values()}, {@link #entrySet()}) are backed by the shared map: their
 * sizes, lookups and removals are requests; their iterators run over a snapshot taken when iteration starts
 * (one request), and {@code Iterator.remove} and {@code Entry.setValue} write through.
 *
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
public final class DictProxy<K, V> extends BaseProxy implements Map<K, V> {
    private final Class<?> keyType, valueType;

    DictProxy(Token token) {
        super(token);
        keyType = type(0);
        valueType = type(1);
    }

    private <R> R call(int method, ManagerClient.Args args, ManagerClient.Answer<R> answer) {
        return client().call(id(), method, args, answer);
    }

    @SuppressWarnings("unchecked")
    private V value(WireBuffer in) throws IOException { return (V) Wire.readBlob(in, valueType); }

    @SuppressWarnings("unchecked")
    private K key(WireBuffer in) throws IOException { return (K) Wire.readBlob(in, keyType); }

    @Override public int size() { return call(Dict.SIZE, ManagerClient.Args.NONE, WireBuffer::readInt); }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override public boolean containsKey(Object key) { return call(Dict.CONTAINS_KEY, out -> Wire.writeBlob(out, key), WireBuffer::readBoolean); }

    @Override public boolean containsValue(Object value) { return call(Dict.CONTAINS_VALUE, out -> Wire.writeBlob(out, value), WireBuffer::readBoolean); }

    @Override public V get(Object key) { return call(Dict.GET, out -> Wire.writeBlob(out, key), this::value); }

    /** The value of {@code key}, or {@code defaultValue} when it has none (one request). */
    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return call(Dict.GET, out -> Wire.writeBlob(out, key), in -> Wire.absentNext(in) ? defaultValue : value(in));
    }

    @Override
    public V put(K key, V value) {
        return call(Dict.PUT, out -> {
            Wire.writeBlob(out, key);
            Wire.writeBlob(out, value);
        }, this::value);
    }

    @Override public V remove(Object key) { return call(Dict.REMOVE, out -> Wire.writeBlob(out, key), this::value); }

    /** Removes {@code key}; whether it was there. */
    private boolean removeKey(Object key) {
        return call(Dict.REMOVE, out -> Wire.writeBlob(out, key), in -> !Wire.absentNext(in));
    }

    /** Puts every entry of {@code m} in one request (Python's {@code update}). */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        List<Map.Entry<? extends K, ? extends V>> entries = new ArrayList<>(m.entrySet());
        call(Dict.PUT_ALL, out -> {
            out.writeInt(entries.size());
            for (var e : entries) {
                Wire.writeBlob(out, e.getKey());
                Wire.writeBlob(out, e.getValue());
            }
        }, ManagerClient.Answer.NONE);
    }

    @Override public void clear() { call(Dict.CLEAR, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /** Atomic in the server (Python's {@code setdefault}, returning the previous value). */
    @Override
    public V putIfAbsent(K key, V value) {
        return call(Dict.PUT_IF_ABSENT, out -> {
            Wire.writeBlob(out, key);
            Wire.writeBlob(out, value);
        }, this::value);
    }

    @Override
    public V replace(K key, V value) {
        return call(Dict.REPLACE, out -> {
            Wire.writeBlob(out, key);
            Wire.writeBlob(out, value);
        }, this::value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return call(Dict.REPLACE_IF, out -> {
            Wire.writeBlob(out, key);
            Wire.writeBlob(out, oldValue);
            Wire.writeBlob(out, newValue);
        }, WireBuffer::readBoolean);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return call(Dict.REMOVE_IF, out -> {
            Wire.writeBlob(out, key);
            Wire.writeBlob(out, value);
        }, WireBuffer::readBoolean);
    }

    /**
     * A copy of the whole map, in its order, in one request (Python's {@code d.copy()}).
     *
     * @return a copy of the entries, in insertion order
     */
    public LinkedHashMap<K, V> copy() {
        return call(Dict.ITEMS, ManagerClient.Args.NONE, in -> {
            int n = in.readInt();
            LinkedHashMap<K, V> m = LinkedHashMap.newLinkedHashMap(n);
            for (int i = 0; i < n; i++) {
                K k = key(in);
                m.put(k, value(in));
            }
            return m;
        });
    }

    private List<K> keys() {
        return call(Dict.KEYS, ManagerClient.Args.NONE, in -> {
            int n = in.readInt();
            List<K> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) l.add(key(in));
            return l;
        });
    }

    @Override
    public Set<K> keySet() {
        return new AbstractSet<>() {
            @Override public Iterator<K> iterator() { return Snapshots.iterator(keys(), DictProxy.this::removeKey); }

            @Override public int size() { return DictProxy.this.size(); }

            @Override public boolean contains(Object o) { return containsKey(o); }

            @Override public boolean remove(Object o) { return removeKey(o); }

            @Override public void clear() { DictProxy.this.clear(); }
        };
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                List<Map.Entry<K, V>> items = new ArrayList<>(copy().entrySet());
                Iterator<Map.Entry<K, V>> it = Snapshots.iterator(items, e -> removeKey(e.getKey()));
                return new Iterator<>() {
                    @Override public boolean hasNext() { return it.hasNext(); }

                    @Override public V next() { return it.next().getValue(); }

                    @Override public void remove() { it.remove(); }
                };
            }

            @Override public int size() { return DictProxy.this.size(); }

            @Override public boolean contains(Object o) { return containsValue(o); }

            @Override public void clear() { DictProxy.this.clear(); }
        };
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                List<Map.Entry<K, V>> items = new ArrayList<>();
                for (var e : copy().entrySet()) items.add(new Entry(e.getKey(), e.getValue()));
                return Snapshots.iterator(items, e -> removeKey(e.getKey()));
            }

            @Override public int size() { return DictProxy.this.size(); }

            @Override public void clear() { DictProxy.this.clear(); }
        };
    }

    /** An entry of a snapshot whose {@code setValue} writes through. */
    private final class Entry extends AbstractMap.SimpleEntry<K, V> {
        Entry(K k, V v) { super(k, v); }

        @Override
        public V setValue(V value) {
            put(getKey(), value);
            return super.setValue(value);
        }
    }

    /** Equal to a map with the same entries (compared on a copy: one request, two for another proxy). */
    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof Map<?, ?> m)) return false;
        return copy().equals(m instanceof DictProxy<?, ?> p ? p.copy() : m);
    }

    @Override public int hashCode() { return copy().hashCode(); }

    /** The map's entries, as {@code LinkedHashMap} prints them ({@code {a=1, b=2}}). */
    @Override public String toString() { return copy().toString(); }
}
