package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's side of the data types: {@code dict}, {@code list}, {@code Namespace}, {@code Value} and
 * {@code Array}, holding their values as the encoded blobs the proxies sent (see {@link Wire}). Each object's
 * calls are serialized on its monitor, so every call is atomic, as a call on a Python manager's object is.
 * Method numbers are shared with the proxies.
 */
final class DataServants {
    private DataServants() {}

    /** A blob holding {@code null}: the codec writes null as one zero byte. */
    static boolean isNull(byte[] blob) { return blob != null && blob.length == 1 && blob[0] == 0; }

    /** A dict key: its encoded form, compared by content. */
    static final class Key {
        final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override public boolean equals(Object o) { return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes); }

        @Override public int hashCode() { return hash; }
    }

    private static Key key(WireBuffer in) throws IOException {
        byte[] b = Wire.readRaw(in);
        if (b == null) throw new IOException("corrupt manager frame: an absent key");
        return new Key(b);
    }

    private static void writeAll(WireBuffer out, java.util.Collection<byte[]> blobs) {
        out.writeInt(blobs.size());
        for (byte[] b : blobs) Wire.writeRaw(out, b);
    }

    // ------------------------------------------------------------------ dict

    /** Python's {@code dict}: insertion-ordered, as Python's dicts are. */
    static final class Dict implements Server.Servant {
        static final int SIZE = 1, GET = 2, PUT = 3, REMOVE = 4, CONTAINS_KEY = 5, CONTAINS_VALUE = 6, CLEAR = 7,
                ITEMS = 8, KEYS = 9, VALUES = 10, PUT_ALL = 11, PUT_IF_ABSENT = 12, REPLACE = 13, REPLACE_IF = 14,
                REMOVE_IF = 15;
        private final LinkedHashMap<Key, byte[]> map = new LinkedHashMap<>();

        Dict(WireBuffer in) throws IOException { putAll(in); }

        private void putAll(WireBuffer in) throws IOException {
            int n = in.readInt();
            for (int i = 0; i < n; i++) map.put(key(in), Wire.readRaw(in));
        }

        @Override
        public synchronized void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            switch (method) {
                case SIZE -> out.writeInt(map.size());
                case GET -> Wire.writeRaw(out, map.get(key(in)));
                case PUT -> { Key k = key(in); Wire.writeRaw(out, map.put(k, Wire.readRaw(in))); }
                case REMOVE -> Wire.writeRaw(out, map.remove(key(in)));
                case CONTAINS_KEY -> out.writeBoolean(map.containsKey(key(in)));
                case CONTAINS_VALUE -> {
                    byte[] v = Wire.readRaw(in);
                    out.writeBoolean(map.values().stream().anyMatch(x -> Arrays.equals(x, v)));
                }
                case CLEAR -> map.clear();
                case ITEMS -> {
                    out.writeInt(map.size());
                    for (var e : map.entrySet()) {
                        Wire.writeRaw(out, e.getKey().bytes);
                        Wire.writeRaw(out, e.getValue());
                    }
                }
                case KEYS -> writeAll(out, map.keySet().stream().map(k -> k.bytes).toList());
                case VALUES -> writeAll(out, map.values());
                case PUT_ALL -> putAll(in);
                case PUT_IF_ABSENT -> {
                    Key k = key(in);
                    byte[] v = Wire.readRaw(in), old = map.get(k);
                    if (old == null || isNull(old)) map.put(k, v);
                    Wire.writeRaw(out, old);
                }
                case REPLACE -> {
                    Key k = key(in);
                    byte[] v = Wire.readRaw(in);
                    Wire.writeRaw(out, map.containsKey(k) ? map.put(k, v) : null);
                }
                case REPLACE_IF -> {
                    Key k = key(in);
                    byte[] expected = Wire.readRaw(in), v = Wire.readRaw(in);
                    boolean hit = map.containsKey(k) && Arrays.equals(map.get(k), expected);
                    if (hit) map.put(k, v);
                    out.writeBoolean(hit);
                }
                case REMOVE_IF -> {
                    Key k = key(in);
                    byte[] expected = Wire.readRaw(in);
                    boolean hit = map.containsKey(k) && Arrays.equals(map.get(k), expected);
                    if (hit) map.remove(k);
                    out.writeBoolean(hit);
                }
                default -> throw unknown("dict", method);
            }
        }
    }

    // ------------------------------------------------------------------ list

    /** Python's {@code list}. */
    static final class Lst implements Server.Servant {
        static final int SIZE = 1, GET = 2, SET = 3, ADD = 4, ADD_AT = 5, REMOVE_AT = 6, REMOVE = 7, INDEX_OF = 8,
                LAST_INDEX_OF = 9, CLEAR = 10, ALL = 11, ADD_ALL = 12, SET_ALL = 13, REMOVE_ALL = 14, RETAIN_ALL = 15,
                REMOVE_RANGE = 16;
        private final ArrayList<byte[]> list;

        Lst(WireBuffer in) throws IOException { list = new ArrayList<>(Wire.readRawList(in)); }

        private int indexOf(byte[] v) {
            for (int i = 0; i < list.size(); i++) if (Arrays.equals(list.get(i), v)) return i;
            return -1;
        }

        @Override
        public synchronized void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            switch (method) {
                case SIZE -> out.writeInt(list.size());
                case GET -> Wire.writeRaw(out, list.get(in.readInt()));
                case SET -> { int i = in.readInt(); Wire.writeRaw(out, list.set(i, Wire.readRaw(in))); }
                case ADD -> list.add(Wire.readRaw(in));
                case ADD_AT -> { int i = in.readInt(); list.add(i, Wire.readRaw(in)); }
                case REMOVE_AT -> Wire.writeRaw(out, list.remove(in.readInt()));
                case REMOVE -> {
                    int i = indexOf(Wire.readRaw(in));
                    if (i >= 0) list.remove(i);
                    out.writeBoolean(i >= 0);
                }
                case INDEX_OF -> out.writeInt(indexOf(Wire.readRaw(in)));
                case LAST_INDEX_OF -> {
                    byte[] v = Wire.readRaw(in);
                    int found = -1;
                    for (int i = list.size() - 1; i >= 0 && found < 0; i--) if (Arrays.equals(list.get(i), v)) found = i;
                    out.writeInt(found);
                }
                case CLEAR -> list.clear();
                case ALL -> writeAll(out, list);
                case ADD_ALL -> {
                    int at = in.readInt();
                    List<byte[]> items = Wire.readRawList(in);
                    out.writeBoolean(at < 0 ? list.addAll(items) : list.addAll(at, items));
                }
                case SET_ALL -> { List<byte[]> items = Wire.readRawList(in); list.clear(); list.addAll(items); }
                case REMOVE_ALL, RETAIN_ALL -> {
                    List<Key> given = Wire.readRawList(in).stream().map(Key::new).toList();
                    boolean remove = method == REMOVE_ALL, changed = false;
                    for (Iterator<byte[]> it = list.iterator(); it.hasNext(); ) {
                        if (given.contains(new Key(it.next())) == remove) {
                            it.remove();
                            changed = true;
                        }
                    }
                    out.writeBoolean(changed);
                }
                case REMOVE_RANGE -> {
                    int from = in.readInt(), to = in.readInt();
                    java.util.Objects.checkFromToIndex(from, to, list.size());
                    list.subList(from, to).clear();
                }
                default -> throw unknown("list", method);
            }
        }
    }

    // ------------------------------------------------------------------ Namespace

    /** Python's {@code Namespace}: named attributes. */
    static final class Namespace implements Server.Servant {
        static final int GET = 1, SET = 2, DELETE = 3, ITEMS = 4;
        private final Map<String, byte[]> attributes = new LinkedHashMap<>();

        Namespace(WireBuffer in) throws IOException {
            int n = in.readInt();
            for (int i = 0; i < n; i++) attributes.put(Codec.readString(in), Wire.readRaw(in));
        }

        @Override
        public synchronized void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            switch (method) {
                case GET -> Wire.writeRaw(out, attributes.get(Codec.readString(in)));
                case SET -> { String name = Codec.readString(in); attributes.put(name, Wire.readRaw(in)); }
                case DELETE -> out.writeBoolean(attributes.remove(Codec.readString(in)) != null);
                case ITEMS -> {
                    out.writeInt(attributes.size());
                    for (var e : attributes.entrySet()) {
                        Codec.writeString(out, e.getKey());
                        Wire.writeRaw(out, e.getValue());
                    }
                }
                default -> throw unknown("Namespace", method);
            }
        }
    }

    // ------------------------------------------------------------------ Value and Array

    /** Python's manager {@code Value}: one value (checked against its type code by the proxy). */
    static final class Value implements Server.Servant {
        static final int GET = 1, SET = 2;
        private byte[] value;

        Value(WireBuffer in) throws IOException { value = Wire.readRaw(in); }

        @Override
        public synchronized void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            switch (method) {
                case GET -> Wire.writeRaw(out, value);
                case SET -> value = Wire.readRaw(in);
                default -> throw unknown("Value", method);
            }
        }
    }

    /** Python's manager {@code Array}: a fixed number of values (checked against the type code by the proxy). */
    static final class Array implements Server.Servant {
        static final int LENGTH = 1, GET = 2, SET = 3, ALL = 4;
        private final byte[][] items;

        Array(WireBuffer in) throws IOException { items = Wire.readRawList(in).toArray(byte[][]::new); }

        @Override
        public synchronized void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            switch (method) {
                case LENGTH -> out.writeInt(items.length);
                case GET -> Wire.writeRaw(out, items[java.util.Objects.checkIndex(in.readInt(), items.length)]);
                case SET -> { int i = java.util.Objects.checkIndex(in.readInt(), items.length); items[i] = Wire.readRaw(in); }
                case ALL -> writeAll(out, Arrays.asList(items));
                default -> throw unknown("Array", method);
            }
        }
    }

    static IllegalArgumentException unknown(String typeid, int method) {
        return new IllegalArgumentException("unknown method of " + typeid + ": method=" + method);
    }
}
