package io.mp4j.ipc.queue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting on a word of the control file. Temporary: a spin, then parking with a growing back-off, until
 * the project's shared spin-then-futex {@code WaitStrategy} is merged; it has the same two methods.
 */
final class QueueWait {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long MAX_PARK_NANOS = 1_000_000;

    /**
     * Waits while the word holds {@code observed}, for at most {@code nanos} (negative: a while). Returns
     * when the word changed, the time ended, or spuriously: the caller re-reads and decides.
     */
    void awaitChange(MemorySegment seg, long word, long sleepers, int observed, long nanos, boolean interruptible)
            throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if ((int) INT.getVolatile(seg, word) != observed) return;
            Thread.onSpinWait();
        }
        long end = nanos < 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
        long park = 20_000;
        INT.getAndAdd(seg, sleepers, 1);
        try {
            while ((int) INT.getVolatile(seg, word) == observed) {
                long left = end - System.nanoTime();
                if (left <= 0) return;
                LockSupport.parkNanos(Math.min(park, left));
                park = Math.min(park * 2, MAX_PARK_NANOS);
                if (Thread.interrupted()) {
                    if (interruptible) throw new InterruptedException();
                    Thread.currentThread().interrupt();
                    return;
                }
                if (nanos < 0 && park == MAX_PARK_NANOS) return;
            }
        } finally {
            INT.getAndAdd(seg, sleepers, -1);
        }
    }

    /** Wakes sleepers on the word (polling waiters need nothing; kept for the futex strategy). */
    static void wake(MemorySegment seg, long word, long sleepers, int count) {
        // polling waiters see the change by themselves
    }
}
