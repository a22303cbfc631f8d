package io.mp4j.ipc.sync;

import io.mp4j.ipc.codec.Shareable;

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
     * Acquires and returns a handle whose {@code close()} releases: {@code try (var h = lock.hold()) { ... }}.
     *
     * @return the held lock, whose {@code close()} releases it
     */
    default Held hold() {
        lock();
        return this::unlock;
    }

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
