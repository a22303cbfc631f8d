package io.mp4j.ipc.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.shm.Segments;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Semaphore}: a counter shared by processes; {@link #acquire()} takes one
 * permit, waiting while there is none, {@link #release()} gives one back (any thread of any process may).
 * A negative initial value is an error.
 *
 * <pre>
 *   base+0  value     int   futex word: the permits available
 *   base+4  sleepers  int
 *   base+8  bound     int   BoundedSemaphore's maximum, or -1
 * </pre>
 *
 * <pre>{@code
 * Semaphore sem = ctx.semaphore(2);
 * sem.acquire();
 * try { useTheResource(); } finally { sem.release(); }
 * }</pre>
 *
 * <p>Interrupts as {@link java.util.concurrent.Semaphore}: {@link #acquire()} and the timed
 * {@link #tryAcquire(long, TimeUnit)} throw {@link InterruptedException} if the thread is interrupted on entry
 * or while waiting. Visibility across JVMs: writes before a release are visible after the acquire that takes
 * that permit. Travels as a handle (segment path and offset).
 */
public sealed class Semaphore implements Shareable, io.mp4j.shared.MpSemaphore permits BoundedSemaphore {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Semaphore.class, Semaphore.Handle.class, Semaphore::handle, Semaphore::attach);
    }

    static final long VALUE = 0, SLEEPERS = 4, BOUND = 8, LENGTH = 16;

    /**
     * What travels: the segment file and the offset of the semaphore's words.
     *
     * @param path the segment file
     * @param offset the semaphore's words in it
     */
    public record Handle(String path, long offset) {}

    final Words w;

    static final class Words extends SharedWords {
        final WaitStrategy ws = new WaitStrategy();
        Words(Segment s, long base) { super(s, base); }
    }

    Semaphore(Segment segment, long offset) { this.w = new Words(segment, offset); }

    /**
     * A new semaphore with {@code value} permits in its own segment in {@code dir}.
     *
     * @param dir the directory the segment file goes into
     * @param value the initial number of permits
     * @return the new semaphore
     * @throws IllegalArgumentException for a negative value
     */
    public static Semaphore create(Path dir, int value) {
        Semaphore s = new Semaphore(newSegment(dir, value, "semaphore"), SegmentDescriptor.HEADER_LENGTH);
        s.w.setInt(BOUND, -1);
        return s;
    }

    static Segment newSegment(Path dir, int value, String prefix) {
        if (value < 0) throw new IllegalArgumentException("semaphore initial value must be >= 0: value=" + value);
        SharedWords.linkAhead();
        Segment seg = Segments.create(dir, prefix, SegmentDescriptor.KIND_SYNC, LENGTH);
        SharedWords.INT.setVolatile(seg.memory(), SegmentDescriptor.HEADER_LENGTH + VALUE, value);
        return seg;
    }

    /**
     * Re-attaches a semaphore from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same semaphore
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @JsonCreator
    public static Semaphore attach(Handle h) {
        SharedWords.linkAhead();
        Segment seg = Segments.attach(h.path());
        int bound = (int) SharedWords.INT.getVolatile(seg.memory(), h.offset() + BOUND);
        return bound < 0 ? new Semaphore(seg, h.offset()) : new BoundedSemaphore(seg, h.offset());
    }

    /**
     * The handle this semaphore travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() { return new Handle(w.segment.path().toString(), w.base); }

    /**
     * Takes a permit, waiting while there is none.
     *
     * @throws InterruptedException if interrupted while waiting (no permit is taken)
     */
    public void acquire() throws InterruptedException { acquire(-1); }

    /**
     * Python's {@code acquire(block=False)}: takes a permit only if one is available now.
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        for (;;) {
            int v = w.getInt(VALUE);
            if (v <= 0) return false;
            if (w.casInt(VALUE, v, v - 1)) return true;
        }
    }

    /**
     * Python's {@code acquire(timeout=t)}: false if no permit came within the time.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting (no permit is taken)
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return acquire(SharedWords.nanos(timeout, unit));
    }

    /**
     * Python's {@code acquire(True, timeout)} with seconds ({@code null}: wait without limit; zero or
     * negative: not at all).
     *
     * @param block whether to wait
     * @param timeoutSeconds the longest wait in seconds, or null for none
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting (no permit is taken)
     */
    public boolean acquire(boolean block, Double timeoutSeconds) throws InterruptedException {
        if (!block) return tryAcquire();
        return acquire(SharedWords.seconds(timeoutSeconds));
    }

    private boolean acquire(long nanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (tryAcquire()) return true;
        if (nanos == 0) return false;
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            int v = w.getInt(VALUE);
            if (v > 0) {
                if (w.casInt(VALUE, v, v - 1)) return true;
                continue;
            }
            long left = -1;
            if (nanos > 0 && (left = deadline - System.nanoTime()) <= 0) return false;
            w.ws.awaitChange(w.m, w.base + VALUE, w.base + SLEEPERS, v, left, true);
        }
    }

    /** Gives a permit back, waking one waiter. */
    public void release() {
        w.addInt(VALUE, 1);
        WaitStrategy.wake(w.m, w.base + VALUE, w.base + SLEEPERS, 1);
    }

    /**
     * Python's {@code get_value()}: the permits available now.
     *
     * @return the permits available
     */
    public int getValue() { return w.getInt(VALUE); }

    /**
     * The permits available now (as {@link java.util.concurrent.Semaphore}).
     *
     * @return the permits available
     */
    public int availablePermits() { return getValue(); }

    @Override
    public String toString() { return "<" + getClass().getSimpleName() + "(value=" + getValue() + ")>"; }
}
