package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.shm.TypeCode;
import io.mp4j.shared.MpArray;
import io.mp4j.shared.MpLock;
import org.apache.ignite.IgniteCache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Python's {@code Array} on a cluster: one cache entry per element ({@link Cells}), so each element's read and write
 * is atomic and costs a cluster round trip; {@link #toList()} reads all of them in one. Its lock (by default a new
 * {@link ClusterRLock}) guards read-modify-writes of several calls. Travels as its first key, length, type code and
 * lock.
 */
public final class ClusterArray implements MpArray, Shareable {
    /**
     * What travels.
     *
     * @param base the cache key of its first element
     * @param length the number of elements
     * @param typecode the type code
     * @param lockKind the kind of its lock ("rlock" or "lock"), null for none
     * @param lockName the name of its lock, or null
     */
    public record Handle(long base, int length, char typecode, String lockKind, String lockName) {}

    private final Handle h;
    private final TypeCode type;
    private final MpLock lock;
    private volatile IgniteCache<Long, Long> cache;

    private ClusterArray(Handle h, MpLock lock) {
        this.h = h;
        this.type = TypeCode.of(h.typecode());
        this.lock = lock;
    }

    static ClusterArray create(ClusterContext ctx, char typecode, Object sizeOrInitial, Object lock) {
        TypeCode t = TypeCode.of(typecode);
        List<?> initial = null;
        int n;
        if (sizeOrInitial instanceof Integer || sizeOrInitial instanceof Long || sizeOrInitial instanceof Short) {
            long size = ((Number) sizeOrInitial).longValue();
            if (size < 0 || size > Integer.MAX_VALUE) throw new IllegalArgumentException("array size must be 0 to 2^31-1: size=" + size);
            n = (int) size;
        } else {
            initial = asList(t, sizeOrInitial);
            n = initial.size();
        }
        Map<Long, Long> bits = new TreeMap<>();
        MpLock l = Cells.lockFor(ctx, lock);
        long base = Cells.allocate(ctx.ignite(), n);
        for (int i = 0; i < n; i++) bits.put(base + i, initial == null ? 0L : t.bitsOf(initial.get(i)));
        IgniteCache<Long, Long> c = Cells.cache(ctx.ignite());
        c.putAll(bits);
        ctx.madeCells(base, n);
        ClusterArray a = new ClusterArray(new Handle(base, n, typecode, Cells.lockKind(l), Cells.lockName(l)), l);
        a.cache = c;
        return a;
    }

    private static List<?> asList(TypeCode t, Object v) {
        if (v == null) throw new IllegalArgumentException("size_or_initializer must not be null");
        if (v instanceof Collection<?> c) return new ArrayList<>(c);
        if (v instanceof String s && t == TypeCode.CHAR) v = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (v.getClass().isArray()) {
            int len = java.lang.reflect.Array.getLength(v);
            List<Object> out = new ArrayList<>(len);
            for (int i = 0; i < len; i++) out.add(java.lang.reflect.Array.get(v, i));
            return out;
        }
        throw new IllegalArgumentException("size_or_initializer must be a size, an array or a collection: value="
                + v + " (" + v.getClass().getName() + ")");
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterArray attach(Handle h) { return new ClusterArray(h, Cells.attachLock(h.lockKind(), h.lockName())); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return h; }

    private IgniteCache<Long, Long> cache() {
        IgniteCache<Long, Long> c = cache;
        if (c == null) cache = c = Cells.cache(Grids.current());
        return c;
    }

    private long key(int i) {
        if (i < 0 || i >= h.length()) throw new IndexOutOfBoundsException("array index out of range: index=" + i + " length=" + h.length());
        return h.base() + i;
    }

    @Override public TypeCode typecode() { return type; }

    @Override public int length() { return h.length(); }

    @Override public MpLock getLock() {
        if (lock == null) throw new IllegalStateException("this array was made without a lock (lock=false)");
        return lock;
    }

    @Override public boolean hasLock() { return lock != null; }

    private long bits(int i) { return Cells.get(cache(), key(i)); }

    @Override public Object get(int i) { return type.valueOfBits(bits(i)); }

    @Override public int getInt(int i) { return (int) type.longOfBits(bits(i)); }

    @Override public long getLong(int i) { return type.longOfBits(bits(i)); }

    @Override public double getDouble(int i) { return type.doubleOfBits(bits(i)); }

    @Override public boolean getBoolean(int i) { return type.longOfBits(bits(i)) != 0; }

    @Override public void set(int i, Object v) { cache().put(key(i), type.bitsOf(v)); }

    @Override public void set(int i, long v) { cache().put(key(i), type.bitsOfLong(v)); }

    @Override public void set(int i, double v) { cache().put(key(i), type.isFloatingPoint() ? type.bitsOfDouble(v) : type.bitsOfLong((long) v)); }

    @Override public void set(int i, boolean v) { cache().put(key(i), type.bitsOf(v)); }

    @Override public long getAndAdd(int i, long delta) { return Cells.getAndAdd(cache(), key(i), type, delta); }

    @Override public boolean compareAndSet(int i, long expected, long update) {
        return Cells.compareAndSet(cache(), key(i), type, expected, update);
    }

    private long[] allBits() {
        Map<Long, Long> m = Cells.getAll(cache(), h.base(), h.length());
        long[] out = new long[h.length()];
        for (int i = 0; i < out.length; i++) {
            Long v = m.get(h.base() + i);
            out[i] = v == null ? 0 : v;
        }
        return out;
    }

    @Override public List<Object> toList() {
        List<Object> out = new ArrayList<>(h.length());
        for (long b : allBits()) out.add(type.valueOfBits(b));
        return out;
    }

    @Override public int[] toIntArray() {
        long[] b = allBits();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (int) type.longOfBits(b[i]);
        return out;
    }

    @Override public long[] toLongArray() {
        long[] b = allBits();
        long[] out = new long[b.length];
        for (int i = 0; i < b.length; i++) out[i] = type.longOfBits(b[i]);
        return out;
    }

    @Override public double[] toDoubleArray() {
        long[] b = allBits();
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) out[i] = type.doubleOfBits(b[i]);
        return out;
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterArray a && a.h.base() == h.base(); }

    @Override public int hashCode() { return Long.hashCode(h.base()); }

    @Override public String toString() { return toList().toString(); }
}
