package io.mp4j.ipc.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.shm.Segments;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Lock}: a non-reentrant mutual-exclusion lock shared by processes.
 * Any thread of any process may release it (as in Python); releasing it when it is not held throws
 * {@link IllegalStateException}. Acquiring it twice from one thread blocks (or times out).
 *
 * <pre>{@code
 * Lock lock = ctx.lock();
 * lock.lock();
 * try { counter.set(counter.getInt() + 1); } finally { lock.unlock(); }
 * }</pre>
 *
 * <p>Interrupts: {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} throw
 * {@link InterruptedException} if the thread is interrupted on entry or while waiting; {@link #lock()} keeps
 * waiting and leaves the interrupt status set. Robust: see {@link SharedLock}.
 *
 * <p>Travels to other processes as a handle (segment path and offset).
 */
public final class Lock implements SharedLock {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Lock.class, Lock.Handle.class, Lock::handle, Lock::attach);
    }

    /**
     * What travels: the segment file and the offset of the lock's words.
     *
     * @param path the segment file
     * @param offset the lock's words in it
     */
    public record Handle(String path, long offset) {}

    private final OwnerSync sync;

    private Lock(Segment segment, long offset) { this.sync = new OwnerSync(segment, offset, "Lock"); }

    private Lock(OwnerSync sync) { this.sync = sync; }


    /**
     * A new lock in its own segment in {@code dir}.
     *
     * @param dir the directory the segment file goes into
     * @return the new lock, free
     */
    public static Lock create(Path dir) {
        Warmup.start();
        return new Lock(Segments.create(dir, "lock", SegmentDescriptor.KIND_SYNC, OwnerSync.LENGTH), SegmentDescriptor.HEADER_LENGTH);
    }

    /** A lock whose words (OwnerSync.LENGTH bytes, 8-aligned) lie at {@code offset} of {@code segment}. */
    static Lock at(Segment segment, long offset) { return new Lock(segment, offset); }

    /**
     * Re-attaches a lock from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same lock
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @JsonCreator
    public static Lock attach(Handle h) {
        Warmup.start();
        return new Lock(Segments.attach(h.path()), h.offset());
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
            sync.acquire(OwnerSync.me(), -1, false);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible acquire was interrupted", e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException { sync.acquire(OwnerSync.me(), -1, true); }

    @Override
    public boolean tryLock() { return sync.tryAcquire(OwnerSync.me()); }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return sync.acquire(OwnerSync.me(), SharedWords.nanos(time, unit), true);
    }

    /** @throws IllegalStateException if the lock is not held */
    @Override
    public void unlock() {
        if (sync.release(OwnerSync.me())) return; // the usual case, the holder releases: one compare-and-set
        for (;;) { // any thread or process may release a Lock, as in Python
            long o = sync.owner();
            if (o == 0) throw new IllegalStateException("release of an unlocked Lock: " + this);
            if (sync.release(o)) return;
        }
    }

    @Override
    public boolean isLocked() { return sync.owner() != 0; }

    @Override
    public Condition newCondition(Path dir) { return Condition.create(dir, this); }

    @Override
    public boolean equals(Object o) { return o instanceof Lock l && l.handle().equals(handle()); }

    @Override
    public int hashCode() { return handle().hashCode(); }

    @Override
    public String toString() {
        long o = sync.owner();
        return "<Lock(owner=" + (o == 0 ? "None" : "pid " + OwnerSync.pidOf(o)) + ")>";
    }
}
