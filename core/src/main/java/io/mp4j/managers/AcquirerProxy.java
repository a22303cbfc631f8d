package io.mp4j.managers;

import io.mp4j.ipc.sync.SharedLock;
import io.mp4j.managers.SyncServants.Owned;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * What {@link LockProxy} and {@link RLockProxy} share (Python's {@code AcquirerProxy}): a
 * {@link java.util.concurrent.locks.Lock} whose state lives in the manager, with Python's
 * {@code acquire}/{@code release} beside {@code lock}/{@code unlock}, and {@link #hold()} for {@code with lock:}.
 *
 * <p>Interrupts: {@link #lock()} waits until it holds the lock and keeps an interrupt for later;
 * {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} give up within {@value Server#SLICE_MILLIS} ms
 * of an interrupt and throw {@link InterruptedException} (if the lock was taken at that moment, they return
 * holding it, with the interrupt status set). A lock whose holder's process dies stays held, as in Python.
 */
public abstract sealed class AcquirerProxy extends BaseProxy implements Lock permits LockProxy, RLockProxy {
    AcquirerProxy(Token token) { super(token); }

    static void writeCaller(WireBuffer out) {
        out.writeLong(ManagerClient.JVM_ID);
        out.writeLong(Thread.currentThread().threadId());
    }

    private boolean acquire(long nanos, boolean interruptible) throws InterruptedException {
        ManagerClient.Args args = out -> {
            writeCaller(out);
            out.writeLong(nanos);
        };
        return interruptible ? client().callInterruptibly(id(), Owned.ACQUIRE, args, WireBuffer::readBoolean)
                : client().call(id(), Owned.ACQUIRE, args, WireBuffer::readBoolean);
    }

    /** Waits until it holds the lock (an interrupt meanwhile is kept, not thrown). */
    @Override
    public void lock() {
        try {
            acquire(Wire.FOREVER, false);
        } catch (InterruptedException e) {
            throw new AssertionError("not interruptible", e);
        }
    }

    @Override public void lockInterruptibly() throws InterruptedException { acquire(Wire.FOREVER, true); }

    /** Takes the lock only if it is free now. */
    @Override
    public boolean tryLock() {
        try {
            return acquire(0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("not interruptible", e);
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        return acquire(Wire.nanos(time, unit), true);
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException when it is not locked (an RLock: not held by this thread)
     */
    @Override
    public void unlock() { client().call(id(), Owned.RELEASE, AcquirerProxy::writeCaller, ManagerClient.Answer.NONE); }

    /** Python's {@code acquire()}: {@link #lock()}. */
    public void acquire() { lock(); }

    /**
     * Python's {@code acquire(block)}: without blocking, takes the lock only if it is free.
     *
     * @param block {@code false}: return at once rather than wait
     * @return whether the lock was taken
     */
    public boolean acquire(boolean block) {
        if (block) {
            lock();
            return true;
        }
        return tryLock();
    }

    /**
     * Python's {@code acquire(timeout=t)}: false when the time elapsed first.
     *
     * @param timeout the longest wait, in {@code unit}
     * @param unit the unit of the time
     * @return whether the lock was taken
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean acquire(long timeout, TimeUnit unit) throws InterruptedException { return tryLock(timeout, unit); }

    /** Python's {@code release()}: {@link #unlock()}. */
    public void release() { unlock(); }

    /**
     * Takes the lock and returns what releases it: {@code try (var h = lock.hold()) { ... }} (Python's {@code with}).
     *
     * @return the held lock, released by its {@code close()}
     */
    public SharedLock.Held hold() {
        lock();
        return this::unlock;
    }

    /**
     * Whether any thread of any process holds the lock now.
     *
     * @return whether a process holds the lock
     */
    public boolean isLocked() { return client().call(id(), Owned.LOCKED, AcquirerProxy::writeCaller, WireBuffer::readBoolean); }

    /** Unsupported: make a condition over this lock with {@code manager.condition(lock)}. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("make a condition over a manager's lock with manager.condition(lock)");
    }
}
