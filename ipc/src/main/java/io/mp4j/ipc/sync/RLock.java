package io.mp4j.ipc.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.shm.Segments;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.RLock}: a reentrant lock owned by one thread of one process, which must
 * release it as many times as it acquired it. Releasing it from another thread or process throws
 * {@link IllegalStateException}. The default lock of a shared {@code Value} or {@code Array}.
 *
 * <pre>{@code
 * RLock lock = ctx.rlock();
 * try (var held = lock.hold()) {
 *     try (var again = lock.hold()) { ... }   // reentrant
 * }
 * }</pre>
 *
 * <p>Interrupts as {@link Lock}. Robust: when the owner's process dies, the next acquirer gets the lock with a
 * count of one and an {@link OwnerDiedException}. Travels as a handle (segment path and offset).
 */
public final class RLock implements SharedLock, io.mp4j.shared.MpRLock {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(RLock.class, RLock.Handle.class, RLock::handle, RLock::attach);
    }

    /**
     * What travels: the segment file and the offset of the lock's words.
     *
     * @param path the segment file
     * @param offset the lock's words in it
     */
    public record Handle(String path, long offset) {}

    private final OwnerSync sync;

    private RLock(Segment segment, long offset) { this.sync = new OwnerSync(segment, offset, "RLock"); }

    /** A new lock's words: free, with the count a free lock keeps (see {@link #unlock}). */
    private static RLock fresh(Segment segment, long offset) {
        RLock l = new RLock(segment, offset);
        l.sync.setCount(1);
        return l;
    }

    /**
     * A new lock in its own segment in {@code dir}.
     *
     * @param dir the directory the segment file goes into
     * @return the new lock, free
     */
    public static RLock create(Path dir) {
        Warmup.start();
        return fresh(Segments.create(dir, "rlock", SegmentDescriptor.KIND_SYNC, OwnerSync.LENGTH), SegmentDescriptor.HEADER_LENGTH);
    }

    /**
     * A new lock whose words (OwnerSync.LENGTH bytes, 8-aligned, zero) lie at {@code offset} of {@code segment}.
     *
     * @param segment the segment
     * @param offset where the lock's words go, 8-byte aligned
     * @return the new lock, free
     */
    public static RLock at(Segment segment, long offset) {
        Warmup.start();
        return fresh(segment, offset);
    }

    /**
     * Bytes an RLock takes in a segment.
     *
     * @return the length in bytes
     */
    public static long length() { return OwnerSync.LENGTH; }

    /**
     * Re-attaches a lock from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same lock
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @JsonCreator
    public static RLock attach(Handle h) {
        Warmup.start();
        return new RLock(Segments.attach(h.path()), h.offset());
    }

    /**
     * The handle this lock travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() { return new Handle(sync.segment.path().toString(), sync.base); }

    OwnerSync sync() { return sync; }

    @Override
    public void lock() {
        try {
            acquire(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible acquire was interrupted", e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException { acquire(-1, true); }

    @Override
    public boolean tryLock() {
        try {
            return acquire(0, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(SharedWords.nanos(time, unit), true);
    }

    private boolean acquire(long nanos, boolean interruptible) throws InterruptedException {
        long me = OwnerSync.me();
        // a free lock first (one compare-and-set, as ReentrantLock's first try, and nothing else: a free lock's
        // count is 1 already): fewer accesses on the path a fresh JVM runs in the interpreter and the JIT's
        // profiling tier for its first thousands of acquisitions
        if (!interruptible && sync.casOwner(me)) return true;
        if (sync.owner() == me) {
            sync.setCount(sync.count() + 1);
            return true;
        }
        try {
            if (!sync.acquire(me, nanos, interruptible)) return false;
        } catch (OwnerDiedException e) {
            sync.setCount(1);
            throw e;
        }
        sync.setCount(1);
        return true;
    }

    /**
     * Releases one hold; the last one frees the lock.
     *
     * <p>The count word of a free lock is always 1 (a new lock's, and what the last release leaves), so that
     * taking a free lock is one compare-and-set; only the holder writes it. The last release is a
     * compare-and-set of the owner word from this thread to free: it checks ownership and frees in one access.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    @Override
    public void unlock() {
        long me = OwnerSync.me();
        int c = sync.count(); // another thread's count if the caller does not hold the lock: checked below
        if (c == 1) {
            if (sync.release(me)) return;
            throw notHeld(sync.owner());
        }
        long o = sync.owner();
        if (o != me) throw notHeld(o);
        sync.setCount(c - 1);
    }

    private static IllegalStateException notHeld(long o) {
        return new IllegalStateException(o == 0 ? "release of an unlocked RLock"
                : "cannot release an RLock held by another thread: owner pid=" + OwnerSync.pidOf(o)
                + " thread=" + (o >>> 32) + "; caller pid=" + SharedWords.PID + " thread=" + Thread.currentThread().threadId());
    }

    /**
     * Whether the calling thread holds the lock.
     *
     * @return whether this thread of this process holds it
     */
    public boolean isHeldByCurrentThread() { return sync.owner() == OwnerSync.me(); }

    /**
     * How many times the calling thread holds the lock (0 if it does not).
     *
     * @return how many times this thread holds it
     */
    public int getHoldCount() { return isHeldByCurrentThread() ? sync.count() : 0; }

    @Override
    public boolean isLocked() { return sync.owner() != 0; }

    @Override
    public Condition newCondition(Path dir) { return Condition.create(dir, this); }

    /** Releases every hold of the calling thread and returns the count (for Condition). */
    int releaseAll() {
        int c = getHoldCount();
        if (c == 0) throw new IllegalStateException("cannot wait on an un-acquired RLock");
        sync.setCount(1); // what a free lock keeps; the waiter sets its own count again once it re-acquires
        sync.release();
        return c;
    }

    @Override
    public boolean equals(Object o) { return o instanceof RLock l && l.handle().equals(handle()); }

    @Override
    public int hashCode() { return handle().hashCode(); }

    @Override
    public String toString() {
        long o = sync.owner();
        return o == 0 ? "<RLock(None, 0)>" : "<RLock(pid " + OwnerSync.pidOf(o) + ", " + sync.count() + ")>";
    }
}
