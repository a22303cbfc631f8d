package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.shm.TypeCode;
import io.mp4j.shared.MpLock;
import io.mp4j.shared.MpValue;
import org.apache.ignite.IgniteCache;

/**
 * Python's {@code Value} on a cluster: one cache entry ({@link Cells}); each read and write is atomic and costs a
 * cluster round trip, as do {@link #getAndAdd} and {@link #compareAndSet}. Its lock (by default a new
 * {@link ClusterRLock}) guards read-modify-writes of several calls. Travels as its key, type code and lock.
 */
public final class ClusterValue implements MpValue, Shareable {
    /**
     * What travels.
     *
     * @param key its cache key
     * @param typecode the type code
     * @param lockKind the kind of its lock ("rlock" or "lock"), null for none
     * @param lockName the name of its lock, or null
     */
    public record Handle(long key, char typecode, String lockKind, String lockName) {}

    private final Handle h;
    private final TypeCode type;
    private final MpLock lock;
    private volatile IgniteCache<Long, Long> cache;

    private ClusterValue(Handle h, MpLock lock) {
        this.h = h;
        this.type = TypeCode.of(h.typecode());
        this.lock = lock;
    }

    static ClusterValue create(ClusterContext ctx, char typecode, Object initial, Object lock) {
        TypeCode t = TypeCode.of(typecode);
        long bits = initial == null ? 0 : t.bitsOf(initial);
        MpLock l = Cells.lockFor(ctx, lock);
        long key = Cells.allocate(ctx.ignite(), 1);
        IgniteCache<Long, Long> c = Cells.cache(ctx.ignite());
        c.put(key, bits);
        ctx.madeCells(key, 1);
        ClusterValue v = new ClusterValue(new Handle(key, typecode, Cells.lockKind(l), Cells.lockName(l)), l);
        v.cache = c;
        return v;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterValue attach(Handle h) { return new ClusterValue(h, Cells.attachLock(h.lockKind(), h.lockName())); }

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

    private long bits() { return Cells.get(cache(), h.key()); }

    @Override public TypeCode typecode() { return type; }

    @Override public MpLock getLock() {
        if (lock == null) throw new IllegalStateException("this value was made without a lock (lock=false)");
        return lock;
    }

    @Override public boolean hasLock() { return lock != null; }

    @Override public Object get() { return type.valueOfBits(bits()); }

    @Override public int getInt() { return (int) type.longOfBits(bits()); }

    @Override public long getLong() { return type.longOfBits(bits()); }

    @Override public double getDouble() { return type.doubleOfBits(bits()); }

    @Override public boolean getBoolean() { return type.longOfBits(bits()) != 0; }

    @Override public void set(Object v) { cache().put(h.key(), type.bitsOf(v)); }

    @Override public void set(long v) { cache().put(h.key(), type.bitsOfLong(v)); }

    @Override public void set(double v) { cache().put(h.key(), type.isFloatingPoint() ? type.bitsOfDouble(v) : type.bitsOfLong((long) v)); }

    @Override public void set(boolean v) { cache().put(h.key(), type.bitsOf(v)); }

    @Override public long getAndAdd(long delta) { return Cells.getAndAdd(cache(), h.key(), type, delta); }

    @Override public boolean compareAndSet(long expected, long update) {
        return Cells.compareAndSet(cache(), h.key(), type, expected, update);
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterValue v && v.h.key() == h.key(); }

    @Override public int hashCode() { return Long.hashCode(h.key()); }

    @Override public String toString() { return "<ClusterValue " + type.code() + " " + get() + ">"; }
}
