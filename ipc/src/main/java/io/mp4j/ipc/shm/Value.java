package io.mp4j.ipc.shm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.sync.RLock;
import io.mp4j.ipc.sync.SharedLock;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Python's {@code multiprocessing.Value}: one number (or byte, or boolean) in shared memory, of a
 * {@link TypeCode}, with an optional lock. Every process that receives it (as an argument, in a queue) sees
 * the same cell.
 *
 * <pre>{@code
 * Value counter = ctx.value('i', 0);                 // with a new RLock (Python's default)
 * try (var held = counter.getLock().hold()) {
 *     counter.set(counter.getInt() + 1);
 * }
 * counter.getAndAdd(1);                              // beyond Python: an atomic add, no lock needed
 * }</pre>
 *
 * <p>Reads are acquire loads and writes release stores, so a value written by one process is seen by another
 * without a lock (no read-modify-write is atomic that way: hold the lock, or use {@link #getAndAdd} and
 * {@link #compareAndSet}). With {@code lock=true} the RLock lies in the value's own segment, on its cache line.
 * Travels as a handle (segment path, offset, type code, lock).
 */
public final class Value implements Shareable, io.mp4j.shared.MpValue {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Value.class, Value.Handle.class, Value::handle, Value::attach);
    }

    static final long LOCK_AREA = 32;

    /**
     * What travels.
     *
     * @param path the segment file
     * @param offset where the value lies in it
     * @param typecode the Python type code
     * @param lockKind what kind of lock, if any
     * @param lockPath the lock's segment file, or null
     * @param lockOffset the lock's offset in it
     */
    public record Handle(String path, long offset, char typecode, String lockKind, String lockPath, long lockOffset) {}

    private final Segment segment;
    private final MemorySegment m;
    private final long offset;
    private final TypeCode type;
    private final SharedLock lock;

    private Value(Segment segment, long offset, TypeCode type, SharedLock lock) {
        this.segment = segment;
        this.m = segment.memory();
        this.offset = offset;
        this.type = type;
        this.lock = lock;
    }

    /**
     * A new shared value in its own segment in {@code dir}.
     *
     * @param initial the initial value (a Number, Boolean, Character...; null: zero)
     * @param lock    true: a new RLock (Python's default); false: no lock; or an existing Lock or RLock
     * @param dir the directory the segment file goes into (a context's private directory)
     * @param typecode a Python type code
     * @return the new value
     * @throws IllegalArgumentException for an unknown type code, an initial value out of its range, or a lock of another kind
     */
    public static Value create(Path dir, char typecode, Object initial, Object lock) {
        TypeCode t = TypeCode.of(typecode);
        LockRef.check(lock);
        boolean own = Boolean.TRUE.equals(lock);
        Segment seg = Segments.create(dir, "value", SegmentDescriptor.KIND_VALUE, (own ? LOCK_AREA : 0) + 8);
        long base = SegmentDescriptor.HEADER_LENGTH;
        Value v = new Value(seg, own ? base + LOCK_AREA : base, t, LockRef.resolve(lock, seg, base));
        if (initial != null) {
            try {
                t.write(v.m, v.offset, initial);
            } catch (RuntimeException e) {
                seg.unlink();
                throw e;
            }
        }
        return v;
    }

    /**
     * Re-attaches a value from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same shared value
     * @throws IllegalArgumentException if the segment is missing, not a segment, or of an incompatible version
     */
    @JsonCreator
    public static Value attach(Handle h) {
        SharedLock l = new LockRef(h.lockKind(), h.lockPath(), h.lockOffset()).attach();
        return new Value(Segments.attach(h.path()), h.offset(), TypeCode.of(h.typecode()), l);
    }

    /**
     * The handle this value travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() {
        LockRef r = LockRef.of(lock);
        return new Handle(segment.path().toString(), offset, type.code(), r.kind(), r.path(), r.offset());
    }

    /**
     * The type code of the value.
     *
     * @return the type code
     */
    public TypeCode typecode() { return type; }

    /**
     * Python's {@code get_lock()}.
     *
     * @throws IllegalStateException if the value was made with {@code lock=false}
     * @return the value's lock
     */
    public SharedLock getLock() {
        if (lock == null) throw new IllegalStateException("this Value was created with lock=false and has no lock");
        return lock;
    }

    /**
     * Whether the value has a lock.
     *
     * @return whether it has one
     */
    public boolean hasLock() { return lock != null; }

    /**
     * Python's {@code .value}: the boxed natural type of the type code (see {@link TypeCode}).
     *
     * @return the value
     */
    public Object get() { return type.read(m, offset); }

    /**
     * The value as an {@code int}, without boxing.
     *
     * @return the value
     */
    public int getInt() { return (int) type.readLong(m, offset); }

    /**
     * The value as a {@code long}, without boxing.
     *
     * @return the value
     */
    public long getLong() { return type.readLong(m, offset); }

    /**
     * The value as a {@code double}, without boxing.
     *
     * @return the value
     */
    public double getDouble() { return type.readDouble(m, offset); }

    /**
     * The value as a {@code boolean} (non-zero is true).
     *
     * @return the value
     */
    public boolean getBoolean() { return type.readLong(m, offset) != 0; }

    /**
     * Python's {@code .value = v}.
     *
     * @throws IllegalArgumentException if {@code v} does not fit the type code
     * @param v the new value
     */
    public void set(Object v) { type.write(m, offset, v); }

    /**
     * Sets the value without boxing.
     *
     * @param v the new value
     * @throws IllegalArgumentException if {@code v} does not fit the type code
     */
    public void set(long v) { type.writeLong(m, offset, v); }

    /**
     * Sets the value without boxing.
     *
     * @param v the new value
     * @throws IllegalArgumentException if {@code v} does not fit the type code
     */
    public void set(double v) {
        if (type.isFloatingPoint()) type.writeDouble(m, offset, v);
        else type.write(m, offset, v);
    }

    /**
     * Sets the value to 1 or 0.
     *
     * @param v the new value
     */
    public void set(boolean v) { type.write(m, offset, v); }

    /**
     * Atomically adds {@code delta}; returns the previous value (integer codes of 4 or 8 bytes).
     *
     * @param delta what to add
     * @return the value before the addition
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    public long getAndAdd(long delta) { return type.getAndAdd(m, offset, delta); }

    /**
     * Atomically sets {@code update} if the value is {@code expected} (integer codes of 4 or 8 bytes).
     *
     * @param expected the value it must hold
     * @param update its new value
     * @return whether it held {@code expected} and now holds {@code update}
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    public boolean compareAndSet(long expected, long update) { return type.compareAndSet(m, offset, expected, update); }

    @Override
    public String toString() {
        return (lock == null ? "" : "<Synchronized wrapper for ") + "c_" + type.name().toLowerCase() + "(" + get() + ")"
                + (lock == null ? "" : ">");
    }

    /** For tests: the lock lies in the value's own segment. */
    boolean hasOwnLock() { return lock instanceof RLock r && r.handle().path().equals(segment.path().toString()); }
}
