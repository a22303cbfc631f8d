package io.mp4j.core.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The local pool's one lock, and the rule that goes with it: no sink (the user's futures, lists, iterators and
 * callbacks) runs while it is held. What a locked section decides to report is queued with {@link #later} and run by
 * the method that took the lock, once it has released it. Only {@link #run}, {@link #get} and {@link #call} take and
 * release the lock, so no helper ever releases a lock its caller holds.
 */
final class PoolLock {
    /** A locked section that may wait, and so be interrupted. */
    interface Waiting<T> {
        /**
         * Runs holding the lock.
         *
         * @return its answer
         * @throws InterruptedException if interrupted while it waits ({@link #await})
         */
        T get() throws InterruptedException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the run state, a worker's readiness or the pool's end changes. */
    private final Condition changed = lock.newCondition();
    private final List<Runnable> after = new ArrayList<>();

    /** Runs {@code r} holding the lock, then what it left for later. */
    void run(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            unlock();
        }
    }

    /** {@code s} computed holding the lock; then what it left for later runs. */
    <T> T get(Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            unlock();
        }
    }

    /** {@link #get} for a section that waits on {@link #await}. */
    <T> T call(Waiting<T> s) throws InterruptedException {
        lock.lock();
        try {
            return s.get();
        } finally {
            unlock();
        }
    }

    /** Queues {@code r} to run once the lock is released. Called holding the lock. */
    void later(Runnable r) { after.add(r); }

    /** Waits until {@code done}, for at most {@code nanos}, releasing the lock meanwhile. Called holding the lock. */
    boolean await(long nanos, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            changed.awaitNanos(left);
        }
        return true;
    }

    /** Wakes the threads in {@link #await}. Called holding the lock. */
    void signalAll() { changed.signalAll(); }

    /** Releases the lock taken by the calling method, then runs what its locked section left for later. */
    private void unlock() {
        List<Runnable> todo = after.isEmpty() ? List.of() : List.copyOf(after);
        after.clear();
        lock.unlock();
        for (Runnable r : todo) r.run();
    }
}
