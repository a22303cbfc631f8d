package io.mp4j.ipc.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SequencedCollection;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The codec's own form for the JDK's lists, sets and maps of scalars and strings, and for arrays of them, nested up to
 * {@link #MAX_DEPTH} containers deep: a receiver decodes them without Jackson (building its mapper costs a fresh JVM
 * more than starting it). Anything else, or a value that does not fit the declared type exactly as Jackson would
 * read it (a {@code List<Long>} holding an {@code Integer}), goes to Jackson as before ({@link #fits} says which).
 *
 * <p>What the receiver gets: an element keeps its exact class (a {@code Long} stays a {@code Long} where
 * {@code Object} is declared); a container is a new, mutable one of the declared class when that is a concrete JDK
 * class, else of the declared interface's usual class ({@code ArrayList}, {@code LinkedHashSet} in the sender's
 * order, {@code TreeSet}, {@code LinkedHashMap}, {@code TreeMap}); where {@code Object} (or {@code Collection}) is
 * declared a set stays a set and a sorted one stays sorted. Thread-safe (stateless).
 */
final class CompactForm {
    private CompactForm() {}

    /** Containers inside containers beyond which a value goes to Jackson (a list holding itself ends here too). */
    static final int MAX_DEPTH = 8;

    private static final byte LIST = 0, SET = 1, SORTED_SET = 2, MAP = 3, SORTED_MAP = 4;
    /** An array's component code: the scalar slot kind of its elements, plus this for an array of boxed values. */
    private static final byte BOXED = 64;

    private static final Set<Class<?>> COLLECTION_TARGETS = Set.of(Object.class, Iterable.class, Collection.class,
            SequencedCollection.class, List.class, Set.class, SortedSet.class, NavigableSet.class, ArrayList.class,
            LinkedList.class, HashSet.class, LinkedHashSet.class, TreeSet.class);
    private static final Set<Class<?>> MAP_TARGETS = Set.of(Object.class, Map.class, SortedMap.class,
            NavigableMap.class, HashMap.class, LinkedHashMap.class, TreeMap.class);

    // ------------------------------------------------------------------ sender

    /**
     * Whether {@code value} (not null, not a scalar) travels in this form where {@code declared} is declared: a JDK
     * list, set or map, or an array of scalars, holding only nulls, scalars and such containers, each element of
     * the declared element type.
     */
    static boolean fits(Object value, Type declared) {
        return fitsContainer(value, declared, 1);
    }

    private static boolean fitsContainer(Object v, Type declared, int depth) {
        if (depth > MAX_DEPTH) return false;
        Class<?> c = v.getClass();
        Class<?> d = Codec.rawClass(declared);
        if (c.isArray()) return arrayCode(c) != 0 && (d == Object.class || d.isAssignableFrom(c));
        if (!c.getName().startsWith("java.")) return false;   // a user's subclass keeps its class through Jackson
        if (v instanceof Collection<?> col && (v instanceof List<?> || v instanceof Set<?>)) {
            if (!COLLECTION_TARGETS.contains(d) || !d.isInstance(v)) return false;
            if (isSortedTarget(d) && !(v instanceof SortedSet<?> s && s.comparator() == null)) return false;
            Type e = typeArgument(declared, 0);
            for (Object x : col) if (!fitsElement(x, e, depth)) return false;
            return true;
        }
        if (v instanceof Map<?, ?> m) {
            if (!MAP_TARGETS.contains(d) || !d.isInstance(v)) return false;
            if (isSortedTarget(d) && !(v instanceof SortedMap<?, ?> s && s.comparator() == null)) return false;
            Type k = typeArgument(declared, 0), e = typeArgument(declared, 1);
            for (Map.Entry<?, ?> x : m.entrySet()) {
                if (!fitsElement(x.getKey(), k, depth) || !fitsElement(x.getValue(), e, depth)) return false;
            }
            return true;
        }
        return false;
    }

    private static boolean fitsElement(Object x, Type declared, int depth) {
        if (x == null) return true;
        Class<?> d = Codec.rawClass(declared);
        if (ScalarSlots.isScalar(x.getClass())) return Codec.boxed(d).isAssignableFrom(x.getClass());
        return fitsContainer(x, declared, depth + 1);
    }

    private static boolean isSortedTarget(Class<?> d) {
        return d == SortedSet.class || d == NavigableSet.class || d == TreeSet.class
                || d == SortedMap.class || d == NavigableMap.class || d == TreeMap.class;
    }

    private static Type typeArgument(Type declared, int i) {
        return declared instanceof ParameterizedType p && p.getActualTypeArguments().length > i
                ? p.getActualTypeArguments()[i] : Object.class;
    }

    /** The component code of an array class that travels in this form, or 0. */
    private static byte arrayCode(Class<?> c) {
        Class<?> t = c.getComponentType();
        if (t.isPrimitive()) return t == void.class ? 0 : ScalarSlots.scalarKind(Codec.boxed(t));
        byte k = ScalarSlots.scalarKind(t);
        return k == 0 || t == byte[].class ? 0 : (byte) (k | BOXED);
    }

    /** Writes a value {@link #fits} accepted, after the slot's kind byte. */
    static void write(DataOutput out, Object v) throws IOException {
        Class<?> c = v.getClass();
        if (c.isArray()) {
            byte code = arrayCode(c);
            int n = Array.getLength(v);
            out.writeByte(code);
            out.writeInt(n);
            if ((code & BOXED) != 0) {
                for (Object x : (Object[]) v) ScalarSlots.writeScalar(out, x);
            } else {
                switch (v) {
                    case int[] a -> { for (int x : a) out.writeInt(x); }
                    case long[] a -> { for (long x : a) out.writeLong(x); }
                    case double[] a -> { for (double x : a) out.writeDouble(x); }
                    case float[] a -> { for (float x : a) out.writeFloat(x); }
                    case short[] a -> { for (short x : a) out.writeShort(x); }
                    case char[] a -> { for (char x : a) out.writeChar(x); }
                    case boolean[] a -> { for (boolean x : a) out.writeBoolean(x); }
                    default -> throw new IllegalStateException("not a compact array: " + c.getName());
                }
            }
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte(m instanceof SortedMap<?, ?> ? SORTED_MAP : MAP);
            out.writeInt(m.size());
            int written = 0;
            for (Map.Entry<?, ?> x : m.entrySet()) {
                writeElement(out, x.getKey());
                writeElement(out, x.getValue());
                written++;
            }
            if (written != m.size()) throw new CodecException("a " + c.getName() + " changed while it was encoded");
        } else {
            Collection<?> col = (Collection<?>) v;
            out.writeByte(v instanceof SortedSet<?> ? SORTED_SET : v instanceof Set<?> ? SET : LIST);
            out.writeInt(col.size());
            int written = 0;
            for (Object x : col) {
                writeElement(out, x);
                written++;
            }
            if (written != col.size()) throw new CodecException("a " + c.getName() + " changed while it was encoded");
        }
    }

    private static void writeElement(DataOutput out, Object x) throws IOException {
        if (x == null || ScalarSlots.isScalar(x.getClass())) ScalarSlots.writeScalar(out, x);
        else Codec.writeCompact(out, x);
    }

    // ------------------------------------------------------------------ receiver

    /** Reads a container written by {@link #write}; {@code kind} is the slot's kind, already read. */
    static Object read(DataInput in, byte kind, Type declared, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new CodecException("corrupt message: containers nested deeper than " + MAX_DEPTH);
        Class<?> d = Codec.rawClass(declared);
        byte shape = in.readByte();
        int n = in.readInt();
        if (n < 0) throw new CodecException("corrupt message: a container of " + n + " elements");
        Object result;
        if (kind == Codec.ARRAY) {
            result = readArray(in, shape, n);
        } else if (kind == Codec.MAP) {
            if (shape != MAP && shape != SORTED_MAP) throw new CodecException("corrupt message: map shape " + shape);
            Map<Object, Object> m = newMap(d, shape);
            Type k = typeArgument(declared, 0), e = typeArgument(declared, 1);
            for (int i = 0; i < n; i++) {
                Object key = readElement(in, k, depth), value = readElement(in, e, depth);
                add(() -> m.put(key, value), m);
            }
            result = m;
        } else {
            if (shape != LIST && shape != SET && shape != SORTED_SET) {
                throw new CodecException("corrupt message: collection shape " + shape);
            }
            Collection<Object> col = newCollection(d, shape);
            Type e = typeArgument(declared, 0);
            for (int i = 0; i < n; i++) {
                Object x = readElement(in, e, depth);
                add(() -> col.add(x), col);
            }
            result = col;
        }
        if (d != Object.class && !d.isInstance(result)) {
            throw new CodecException("cannot decode a " + result.getClass().getName() + " where " + d.getName() + " is declared");
        }
        return result;
    }

    private static void add(Runnable add, Object into) {
        try {
            add.run();
        } catch (ClassCastException | NullPointerException e) {   // a sorted container's natural order refuses it
            throw new CodecException("cannot decode a " + into.getClass().getName() + ": " + Codec.rootMessage(e), e);
        }
    }

    private static Object readElement(DataInput in, Type declared, int depth) throws IOException {
        byte kind = in.readByte();
        if (kind == Codec.COLLECTION || kind == Codec.MAP || kind == Codec.ARRAY) return read(in, kind, declared, depth + 1);
        return ScalarSlots.readScalar(in, kind);
    }

    private static Collection<Object> newCollection(Class<?> d, byte shape) {
        if (d == ArrayList.class || d == List.class) return new ArrayList<>();
        if (d == LinkedList.class) return new LinkedList<>();
        if (d == HashSet.class) return new HashSet<>();
        if (d == LinkedHashSet.class || d == Set.class) return new LinkedHashSet<>();
        if (d == TreeSet.class || d == SortedSet.class || d == NavigableSet.class) return new TreeSet<>();
        // Object, Iterable, Collection, SequencedCollection: the sender's kind
        return shape == LIST ? new ArrayList<>() : shape == SET ? new LinkedHashSet<>() : new TreeSet<>();
    }

    private static Map<Object, Object> newMap(Class<?> d, byte shape) {
        if (d == HashMap.class) return new HashMap<>();
        if (d == LinkedHashMap.class || d == Map.class) return new LinkedHashMap<>();
        if (d == TreeMap.class || d == SortedMap.class || d == NavigableMap.class) return new TreeMap<>();
        return shape == SORTED_MAP ? new TreeMap<>() : new LinkedHashMap<>();
    }

    private static Object readArray(DataInput in, byte code, int n) throws IOException {
        Class<?> boxed = ScalarSlots.scalarClass((byte) (code & ~BOXED));
        if (boxed == null || boxed == byte[].class) throw new CodecException("corrupt message: array component " + code);
        if ((code & BOXED) != 0) {
            Object[] a = (Object[]) Array.newInstance(boxed, n);
            for (int i = 0; i < n; i++) {
                Object x = ScalarSlots.readScalar(in, in.readByte());
                if (x != null && x.getClass() != boxed) {
                    throw new CodecException("corrupt message: a " + x.getClass().getName() + " in a " + boxed.getName() + "[]");
                }
                a[i] = x;
            }
            return a;
        }
        switch (code) {
            case Codec.INT: { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = in.readInt(); return a; }
            case Codec.LONG: { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = in.readLong(); return a; }
            case Codec.DOUBLE: { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = in.readDouble(); return a; }
            case Codec.FLOAT: { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = in.readFloat(); return a; }
            case Codec.SHORT: { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = in.readShort(); return a; }
            case Codec.CHAR: { char[] a = new char[n]; for (int i = 0; i < n; i++) a[i] = in.readChar(); return a; }
            case Codec.BOOLEAN: { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = in.readBoolean(); return a; }
            default: throw new CodecException("corrupt message: array component " + code);
        }
    }
}
