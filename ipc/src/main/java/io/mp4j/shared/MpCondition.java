package io.mp4j.shared;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code Condition}: a {@link java.util.concurrent.locks.Condition} over a lock shared by processes. The
 * lock must be held to wait or signal; a wait releases it (every hold of a reentrant lock) and takes it back before
 * it returns. Interrupts: the waits throw {@link InterruptedException}, except {@code awaitUninterruptibly}.
 */
public interface MpCondition extends java.util.concurrent.locks.Condition {
    /**
     * The lock this condition is bound to.
     *
     * @return the lock
     */
    MpLock getLock();

    /** Python's {@code acquire()}: takes the lock. */
    void acquire();

    /** Python's {@code release()}: releases the lock. */
    void release();

    /**
     * Takes the lock; the handle's {@code close()} releases it (Python's {@code with cond:}).
     *
     * @return the handle
     */
    default MpLock.Held hold() { return getLock().hold(); }

    /**
     * Python's {@code wait_for(predicate)}: waits until {@code predicate} is true, checked with the lock held.
     *
     * @param predicate checked in this process, with the lock held
     * @throws InterruptedException if interrupted while waiting (the lock is held again when it is thrown)
     */
    void waitFor(BooleanSupplier predicate) throws InterruptedException;

    /**
     * Python's {@code wait_for(predicate, timeout)}.
     *
     * @param predicate checked in this process, with the lock held
     * @param time how long to wait at most
     * @param unit the unit of {@code time}
     * @return the predicate's last value
     * @throws InterruptedException if interrupted while waiting (the lock is held again when it is thrown)
     */
    boolean waitFor(BooleanSupplier predicate, long time, TimeUnit unit) throws InterruptedException;
}
