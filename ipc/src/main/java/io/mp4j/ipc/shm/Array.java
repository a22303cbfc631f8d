package io.mp4j.ipc.shm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.sync.SharedLock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Python's {@code multiprocessing.Array}: a fixed-length array of a {@link TypeCode} in shared memory, with an
 * optional lock. Every process that receives it sees the same elements.
 *
 * <pre>{@code
 * Array arr = ctx.array('i', 4);                  // or ctx.array('d', new double[]{1.5, 2.5})
 * arr.set(0, 100);
 * int[] copy = arr.toIntArray();                  // Python's arr[:]
 * arr.setRange(1, new int[]{7, 8});                // Python's arr[1:3] = [7, 8]
 * }</pre>
 *
 * <p>Element reads are acquire loads and writes release stores; bulk reads and writes ({@link #toArray},
 * {@link #setRange}) copy element by element without atomicity as a whole: hold the lock for a consistent
 * snapshot. Data starts on a cache line; with {@code lock=true} the RLock lies in the array's own segment.
 * Index errors throw {@link IndexOutOfBoundsException} naming the index and length. Travels as a handle.
 */
public final class Array implements Shareable, io.mp4j.shared.MpArray {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Array.class, Array.Handle.class, Array::handle, Array::attach);
    }

    static final long LOCK_AREA = 64;

    /**
     * What travels.
     *
     * @param path the segment file
     * @param offset where the elements start in it
     * @param typecode the Python type code
     * @param length the number of elements
     * @param lockKind what kind of lock, if any
     * @param lockPath the lock's segment file, or null
     * @param lockOffset the lock's offset in it
     */
    public record Handle(String path, long offset, char typecode, int length, String lockKind, String lockPath, long lockOffset) {}

    private final Segment segment;
    private final MemorySegment m;
    private final long offset;
    private final TypeCode type;
    private final int length;
    private final SharedLock lock;

    private Array(Segment segment, long offset, TypeCode type, int length, SharedLock lock) {
        this.segment = segment;
        this.m = segment.memory();
        this.offset = offset;
        this.type = type;
        this.length = length;
        this.lock = lock;
    }

    /**
     * A new shared array in its own segment in {@code dir}.
     *
     * @param sizeOrInitial a length (an Integer, zeroed elements), or the initial elements: a primitive array,
     *                      a collection of numbers, or for {@code 'c'} a byte[] or String
     * @param lock          true: a new RLock (Python's default); false: no lock; or an existing Lock or RLock
     * @param dir the directory the segment file goes into (a context's private directory)
     * @param typecode a Python type code
     * @return the new array
     * @throws IllegalArgumentException for an unknown type code, a negative length, an element out of its code's range, or a lock of another kind
     */
    public static Array create(Path dir, char typecode, Object sizeOrInitial, Object lock) {
        TypeCode t = TypeCode.of(typecode);
        LockRef.check(lock);
        List<?> initial = null;
        int n;
        if (sizeOrInitial instanceof Integer || sizeOrInitial instanceof Long || sizeOrInitial instanceof Short) {
            long size = ((Number) sizeOrInitial).longValue();
            if (size < 0) throw new IllegalArgumentException("array size must not be negative: size=" + size);
            if (size * t.size() > Integer.MAX_VALUE) throw new IllegalArgumentException("array too large: size=" + size);
            n = (int) size;
        } else {
            initial = asList(t, sizeOrInitial);
            n = initial.size();
        }
        boolean own = Boolean.TRUE.equals(lock);
        Segment seg = Segments.create(dir, "array", SegmentDescriptor.KIND_ARRAY, (own ? LOCK_AREA : 0) + (long) n * t.size());
        long base = SegmentDescriptor.HEADER_LENGTH;
        Array a = new Array(seg, own ? base + LOCK_AREA : base, t, n, LockRef.resolve(lock, seg, base));
        if (initial != null) {
            try {
                for (int i = 0; i < n; i++) t.write(a.m, a.at(i), initial.get(i));
            } catch (RuntimeException e) {
                seg.unlink();
                throw e;
            }
        }
        return a;
    }

    private static List<?> asList(TypeCode t, Object v) {
        if (v == null) throw new IllegalArgumentException("size_or_initializer must not be null");
        if (v instanceof Collection<?> c) return new ArrayList<>(c);
        if (v instanceof String s && t == TypeCode.CHAR) v = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (v.getClass().isArray()) {
            Object arr = v;
            int len = java.lang.reflect.Array.getLength(arr);
            return new AbstractList<>() {
                @Override public Object get(int i) { return java.lang.reflect.Array.get(arr, i); }
                @Override public int size() { return len; }
            };
        }
        throw new IllegalArgumentException("size_or_initializer must be a size, an array or a collection: value="
                + v + " (" + v.getClass().getName() + ")");
    }

    /**
     * Re-attaches an array from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same shared array
     * @throws IllegalArgumentException if the segment is missing, not a segment, or of an incompatible version
     */
    @JsonCreator
    public static Array attach(Handle h) {
        SharedLock l = new LockRef(h.lockKind(), h.lockPath(), h.lockOffset()).attach();
        return new Array(Segments.attach(h.path()), h.offset(), TypeCode.of(h.typecode()), h.length(), l);
    }

    /**
     * The handle this array travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() {
        LockRef r = LockRef.of(lock);
        return new Handle(segment.path().toString(), offset, type.code(), length, r.kind(), r.path(), r.offset());
    }

    /**
     * The type code of the elements.
     *
     * @return the type code
     */
    public TypeCode typecode() { return type; }

    /**
     * Python's {@code len(arr)}.
     *
     * @return the number of elements
     */
    public int length() { return length; }

    /**
     * Python's {@code get_lock()}.
     *
     * @throws IllegalStateException if made with {@code lock=false}
     * @return the array's lock
     */
    public SharedLock getLock() {
        if (lock == null) throw new IllegalStateException("this Array was created with lock=false and has no lock");
        return lock;
    }

    /**
     * Whether the array has a lock (it was not made with {@code lock=false}).
     *
     * @return whether it has one
     */
    public boolean hasLock() { return lock != null; }

    private long at(int i) {
        if (i < 0 || i >= length) throw new IndexOutOfBoundsException("array index out of range: index=" + i + " length=" + length);
        return offset + (long) i * type.size();
    }

    /**
     * Python's {@code arr[i]} as the type code's natural Java type.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    public Object get(int i) { return type.read(m, at(i)); }

    /**
     * Element {@code i} as an {@code int}, without boxing.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    public int getInt(int i) { return (int) type.readLong(m, at(i)); }

    /**
     * Element {@code i} as a {@code long}, without boxing.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    public long getLong(int i) { return type.readLong(m, at(i)); }

    /**
     * Element {@code i} as a {@code double}, without boxing.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    public double getDouble(int i) { return type.readDouble(m, at(i)); }

    /**
     * Element {@code i} as a {@code boolean} (non-zero is true).
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    public boolean getBoolean(int i) { return type.readLong(m, at(i)) != 0; }

    /**
     * Python's {@code arr[i] = v}.
     *
     * @param i the index
     * @param v the new value
     * @throws IndexOutOfBoundsException for an index outside the array
     * @throws IllegalArgumentException if {@code v} does not fit the type code
     */
    public void set(int i, Object v) { type.write(m, at(i), v); }

    /**
     * Sets element {@code i} without boxing.
     *
     * @param i the index
     * @param v the new value
     * @throws IndexOutOfBoundsException for an index outside the array
     * @throws IllegalArgumentException if {@code v} does not fit the type code
     */
    public void set(int i, long v) { type.writeLong(m, at(i), v); }

    /**
     * Sets element {@code i} without boxing.
     *
     * @param i the index
     * @param v the new value
     * @throws IndexOutOfBoundsException for an index outside the array
     * @throws IllegalArgumentException if {@code v} does not fit the type code
     */
    public void set(int i, double v) {
        if (type.isFloatingPoint()) type.writeDouble(m, at(i), v);
        else type.write(m, at(i), v);
    }

    /**
     * Sets element {@code i} to 1 or 0.
     *
     * @param i the index
     * @param v the new value
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    public void set(int i, boolean v) { type.write(m, at(i), v); }

    /**
     * Atomically adds to element {@code i}; returns its previous value (integer codes of 4 or 8 bytes).
     *
     * @param i the index
     * @param delta what to add
     * @return the element before the addition
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    public long getAndAdd(int i, long delta) { return type.getAndAdd(m, at(i), delta); }

    /**
     * Atomically sets element {@code i} to {@code update} if it is {@code expected}.
     *
     * @param i the index
     * @param expected the value the element must hold
     * @param update its new value
     * @return whether the element held {@code expected} and now holds {@code update}
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    public boolean compareAndSet(int i, long expected, long update) { return type.compareAndSet(m, at(i), expected, update); }

    // ------------------------------------------------------------------ bulk

    /**
     * Python's {@code arr[:]}: a copy as the natural primitive array ({@code int[]} for 'i'...).
     *
     * @return a copy of every element
     */
    public Object toArray() { return toArray(0, length); }

    /**
     * Python's {@code arr[from:to]}: a copy of that range as the natural primitive array.
     *
     * @param from the first index
     * @param to the index after the last
     * @return a copy of the range
     * @throws IndexOutOfBoundsException for a range outside the array
     */
    public Object toArray(int from, int to) {
        checkRange(from, to);
        int n = to - from;
        Object out = type.newArray(n);
        long src = offset + (long) from * type.size();
        switch (type) {
            case BYTE, CHAR -> MemorySegment.copy(m, ValueLayout.JAVA_BYTE, src, out, 0, n);
            case SHORT -> MemorySegment.copy(m, ValueLayout.JAVA_SHORT, src, out, 0, n);
            case INT -> MemorySegment.copy(m, ValueLayout.JAVA_INT, src, out, 0, n);
            case LONG, UNSIGNED_LONG, LONG_LONG, UNSIGNED_LONG_LONG -> MemorySegment.copy(m, ValueLayout.JAVA_LONG, src, out, 0, n);
            case FLOAT -> MemorySegment.copy(m, ValueLayout.JAVA_FLOAT, src, out, 0, n);
            case DOUBLE -> MemorySegment.copy(m, ValueLayout.JAVA_DOUBLE, src, out, 0, n);
            default -> { for (int i = 0; i < n; i++) java.lang.reflect.Array.set(out, i, type.read(m, src + (long) i * type.size())); }
        }
        return out;
    }

    /**
     * A copy of every element as {@code int}s.
     *
     * @return the copy
     */
    public int[] toIntArray() {
        int[] r = new int[length];
        for (int i = 0; i < length; i++) r[i] = getInt(i);
        return r;
    }

    /**
     * A copy of every element as {@code long}s.
     *
     * @return the copy
     */
    public long[] toLongArray() {
        long[] r = new long[length];
        for (int i = 0; i < length; i++) r[i] = getLong(i);
        return r;
    }

    /**
     * A copy of every element as {@code double}s.
     *
     * @return the copy
     */
    public double[] toDoubleArray() {
        double[] r = new double[length];
        for (int i = 0; i < length; i++) r[i] = getDouble(i);
        return r;
    }

    /**
     * Python's {@code list(arr)} / {@code arr[:]} as a list of the natural boxed type.
     *
     * @return a copy of every element, boxed
     */
    public List<Object> toList() {
        List<Object> r = new ArrayList<>(length);
        for (int i = 0; i < length; i++) r.add(get(i));
        return r;
    }

    /**
     * Python's {@code arr[from:from+n] = values}: values is a primitive array or a collection.
     *
     * @param from the first index to write
     * @param values the new elements
     * @throws IndexOutOfBoundsException if they do not fit from {@code from}
     * @throws IllegalArgumentException if an element does not fit the type code
     */
    public void setRange(int from, Object values) {
        List<?> v = asList(type, values);
        checkRange(from, from + v.size());
        for (int i = 0; i < v.size(); i++) type.write(m, at(from + i), v.get(i));
    }

    /**
     * For 'c' arrays: Python's {@code arr.value}, the bytes up to the first zero, as a string (ISO-8859-1).
     *
     * @return the string
     * @throws UnsupportedOperationException for another type code
     */
    public String getString() {
        if (type != TypeCode.CHAR) throw new UnsupportedOperationException("getString needs type code 'c': typecode='" + type.code() + "'");
        byte[] b = (byte[]) toArray();
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("range out of bounds: from=" + from + " to=" + to + " length=" + length);
        }
    }

    /** The elements as Python prints a list: {@code [1, 4, 9, 16]}. */
    @Override
    public String toString() { return toList().toString(); }
}
