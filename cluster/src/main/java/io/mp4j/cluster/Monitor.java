package io.mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCondition;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.IgniteLock;

/**
 * A failover-safe {@link IgniteLock} with one {@link IgniteCondition}: the internal lock and wake-up of the
 * structures Ignite lacks (Event, Barrier, JoinableQueue's join), each built from it and atomic counters.
 */
final class Monitor {
    final IgniteLock lock;
    final IgniteCondition changed;

    private Monitor(IgniteLock lock) {
        this.lock = lock;
        this.changed = lock.getOrCreateCondition("changed");
    }

    /** Gets ({@code create}: or makes) the monitor {@code name}. */
    static Monitor of(Ignite ignite, String name, boolean create, String kind) {
        IgniteLock l = ignite.reentrantLock(name, true, false, create);
        if (l == null) throw Grids.gone(kind, name);
        return new Monitor(l);
    }

    void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
            lock.lockInterruptibly();
        } catch (IgniteInterruptedException e) {
            throw ClusterLock.interrupted(e);
        }
    }

    /**
     * Waits for a signal for at most {@code nanos} ({@code < 0}: no limit), and at most one slice ({@link Waits}):
     * callers check their state again after each return. Returns the nanoseconds left ({@code -1} without limit).
     * Called holding the lock.
     */
    long await(long nanos) throws InterruptedException {
        try {
            if (nanos < 0) {
                changed.awaitNanos(Waits.SLICE_NANOS);
                return -1;
            }
            long t0 = System.nanoTime();
            changed.awaitNanos(Math.min(nanos, Waits.SLICE_NANOS));
            return nanos - (System.nanoTime() - t0);
        } catch (IgniteInterruptedException e) {
            throw ClusterLock.interrupted(e);
        }
    }
}
