package io.mp4j.shared;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Semaphore}: a counter of permits shared by processes; {@link #acquire()} takes one, waiting while
 * there is none, and {@link #release()} gives one back (any thread of any process may).
 *
 * <p>Interrupts as {@link java.util.concurrent.Semaphore}: {@code acquire} and the timed {@code tryAcquire} throw
 * {@link InterruptedException} if the thread is interrupted on entry or while waiting. Visibility: writes before a
 * release are visible after the acquire that takes that permit.
 */
public interface MpSemaphore {
    /**
     * Takes a permit, waiting while there is none.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void acquire() throws InterruptedException;

    /**
     * Python's {@code acquire(block=False)}: takes a permit only if one is available now.
     *
     * @return whether a permit was taken
     */
    boolean tryAcquire();

    /**
     * Python's {@code acquire(timeout=t)}.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether a permit was taken (false if none came within the time)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Python's {@code acquire(block, timeout)} with seconds.
     *
     * @param block whether to wait for a permit
     * @param timeoutSeconds how long to wait at most, {@code null} for no limit
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean acquire(boolean block, Double timeoutSeconds) throws InterruptedException {
        if (!block) return tryAcquire();
        if (timeoutSeconds == null) {
            acquire();
            return true;
        }
        return tryAcquire(Math.max(0, (long) (timeoutSeconds * 1e9)), TimeUnit.NANOSECONDS);
    }

    /** Gives a permit back, waking one waiter. */
    void release();

    /**
     * Python's {@code get_value()}: the permits available now (a snapshot).
     *
     * @return the number of permits
     */
    int getValue();
}
