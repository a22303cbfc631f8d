package io.mp4j.cluster;

import org.apache.ignite.IgniteInterruptedException;

import java.util.concurrent.TimeUnit;

/**
 * Waits on Ignite's locks and semaphores in slices of at most {@link #SLICE_NANOS}, asking again after each: when the
 * node holding a failover-safe lock or permits dies, Ignite frees them, but a waiter already parked in another node
 * was seen not to be woken (it got them only by asking again; docs/journal/2026-12-07-cluster.md).
 */
final class Waits {
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** One timed attempt of at most {@code nanos}. */
    @FunctionalInterface
    interface Attempt {
        boolean tryFor(long nanos);
    }

    private Waits() {}

    /**
     * Tries until {@code attempt} succeeds or {@code nanos} ran out ({@code < 0}: no limit). Not {@code interruptible}:
     * an interrupt is remembered and set again on return.
     */
    static boolean acquire(Attempt attempt, long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        long deadline = nanos < 0 ? 0 : System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                long slice = nanos < 0 ? SLICE_NANOS : Math.min(SLICE_NANOS, deadline - System.nanoTime());
                try {
                    if (slice <= 0) return attempt.tryFor(0);
                    if (attempt.tryFor(slice)) return true;
                } catch (IgniteInterruptedException e) {
                    if (interruptible) throw ClusterLock.interrupted(e);
                    interrupted = true;
                    Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** {@link #acquire} without limit and without interrupts. */
    static void acquireUninterruptibly(Attempt attempt) {
        try {
            acquire(attempt, -1, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }
}
