package io.mp4j.ipc.sync;

import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;

import java.nio.file.Path;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link Semaphore} that refuses to be released above its
 * initial value ({@link IllegalStateException}, Python's {@code ValueError}).
 */
public final class BoundedSemaphore extends Semaphore implements io.mp4j.shared.MpBoundedSemaphore {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(BoundedSemaphore.class, Semaphore.Handle.class, BoundedSemaphore::handle, BoundedSemaphore::attach);
    }

    BoundedSemaphore(Segment segment, long offset) { super(segment, offset); }

    /**
     * A new bounded semaphore with {@code value} permits (also its maximum) in its own segment in {@code dir}.
     *
     * @param dir the directory the segment file goes into
     * @param value the initial and largest number of permits
     * @return the new bounded semaphore
     * @throws IllegalArgumentException for a negative value
     */
    public static BoundedSemaphore create(Path dir, int value) {
        BoundedSemaphore s = new BoundedSemaphore(newSegment(dir, value, "bsemaphore"), SegmentDescriptor.HEADER_LENGTH);
        s.w.setInt(BOUND, value);
        return s;
    }

    /**
     * Re-attaches a bounded semaphore from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same semaphore
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static BoundedSemaphore attach(Handle h) {
        SharedWords.linkAhead();
        return new BoundedSemaphore(io.mp4j.ipc.shm.Segments.attach(h.path()), h.offset());
    }

    /**
     * The maximum value.
     *
     * @return the bound
     */
    public int bound() { return w.getInt(BOUND); }

    /** @throws IllegalStateException if the value is at its bound already */
    @Override
    public void release() {
        int bound = bound();
        for (;;) {
            int v = w.getInt(VALUE);
            if (v >= bound) {
                throw new IllegalStateException("semaphore released too many times: value=" + v + " bound=" + bound);
            }
            if (w.casInt(VALUE, v, v + 1)) break;
        }
        WaitStrategy.wake(w.m, w.base + VALUE, w.base + SLEEPERS, 1);
    }
}
