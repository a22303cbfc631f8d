package io.mp4j.shared;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Lock}: a mutual-exclusion lock shared by processes, which any thread of any process may release
 * (as in Python). A {@link java.util.concurrent.locks.Lock}, with Python's {@code acquire}/{@code release} beside
 * {@code lock}/{@code unlock}, and {@link #hold()} for Python's {@code with lock:}.
 *
 * <p>Visibility: what a process wrote to a shared object before releasing is visible to the process that acquires
 * next. Interrupts: {@code lockInterruptibly} and the timed {@code tryLock} throw {@link InterruptedException};
 * {@code lock} keeps waiting and leaves the interrupt status set. Releasing a lock that is not held throws
 * {@link IllegalStateException} (Python's {@code ValueError}).
 */
public interface MpLock extends java.util.concurrent.locks.Lock {
    /** Python's {@code acquire()}: blocks until held. */
    default void acquire() { lock(); }

    /**
     * Python's {@code acquire(block)}: with {@code block} false, takes the lock only if it is free now.
     *
     * @param block whether to wait for it
     * @return whether the lock is now held
     */
    default boolean acquire(boolean block) {
        if (block) {
            lock();
            return true;
        }
        return tryLock();
    }

    /**
     * Python's {@code acquire(timeout=t)}.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether the lock is now held (false when the time ran out first)
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean acquire(long timeout, TimeUnit unit) throws InterruptedException { return tryLock(timeout, unit); }

    /** Python's {@code release()}. */
    default void release() { unlock(); }

    /**
     * Acquires and returns a handle whose {@code close()} releases: {@code try (var h = lock.hold()) { ... }}.
     *
     * @return the handle
     */
    default Held hold() {
        lock();
        return this::unlock;
    }

    /**
     * Whether any thread of any process holds the lock now (a snapshot).
     *
     * @return whether it is held
     */
    boolean isLocked();

    /** A held lock, released by {@link #close()}. */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        /** Releases the lock. */
        @Override void close();
    }
}
