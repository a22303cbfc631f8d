package io.mp4j.ipc.sync;

import io.mp4j.ipc.codec.Shareable;

import java.util.concurrent.TimeUnit;

/**
 * A lock that works across processes: {@link Lock} or {@link RLock}. Both are
 * {@link java.util.concurrent.locks.Lock}s, with Python's {@code acquire}/{@code release} beside
 * {@code lock}/{@code unlock}, and {@link #hold()} for Python's {@code with lock:}.
 *
 * <p>Robust: when the holder's process dies, the next acquirer gets the lock and an
 * {@link OwnerDiedException} naming the dead pid (every acquiring method may throw it; the lock is then held).
 *
 * <p>Visibility across JVMs: everything a process wrote to shared memory before releasing is visible to the
 * process that acquires next (release/acquire on the lock word).
 */
public sealed interface SharedLock extends io.mp4j.shared.MpLock, Shareable permits Lock, RLock {
    /** Python's {@code acquire()}: blocks until held (interrupts are remembered, not thrown, like {@link #lock()}). */
    @Override
    default void acquire() { lock(); }

    /**
     * Python's {@code acquire(block=False)}: takes the lock only if it is free.
     *
     * @param block whether to wait for the lock
     * @return whether the lock is held now
     */
    default boolean acquire(boolean block) {
        if (block) { lock(); return true; }
        return tryLock();
    }

    /**
     * Python's {@code acquire(timeout=t)}: false when the time elapsed first.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether the lock is held now
     * @throws InterruptedException if interrupted while waiting (the lock is not taken)
     */
    default boolean acquire(long timeout, TimeUnit unit) throws InterruptedException { return tryLock(timeout, unit); }

    /** Python's {@code release()}. */
    default void release() { unlock(); }

    /**
     * Acquires and returns a handle whose {@code close()} releases: {@code try (var h = lock.hold()) { ... }}.
     *
     * @return the held lock, whose {@code close()} releases it
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

    /**
     * A condition bound to this lock that works across processes, in {@code dir} (a context's directory).
     *
     * @param dir the directory the condition's segment goes into
     * @return the new condition
     */
    Condition newCondition(java.nio.file.Path dir);

    /** Unsupported: a cross-process condition needs a directory; use {@link #newCondition(java.nio.file.Path)}. */
    @Override
    default java.util.concurrent.locks.Condition newCondition() {
        throw new UnsupportedOperationException("use the context's condition(lock) to make a cross-process condition");
    }

    /** A held lock, released by {@link #close()}. */
    @FunctionalInterface
    interface Held extends io.mp4j.shared.MpLock.Held {
        @Override void close();
    }
}
