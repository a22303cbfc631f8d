package io.mp4j.managers;

import io.mp4j.managers.SyncServants.Semaphore;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A semaphore that lives in a manager (Python's {@code manager.Semaphore(value)}): {@link #acquire()} takes a
 * permit, waiting for one; {@link #release()} gives one back, from any thread of any process.
 * <pre>{@code
 * SemaphoreProxy slots = manager.semaphore(2);
 * slots.acquire();
 * try { work(); } finally { slots.release(); }
 * }</pre>
 * Interrupts end a wait with {@link InterruptedException} within {@value Server#SLICE_MILLIS} ms, nothing taken
 * (a permit taken at that moment is kept: the call returns with the interrupt status set).
 */
public sealed class SemaphoreProxy extends BaseProxy permits BoundedSemaphoreProxy {
    SemaphoreProxy(Token token) { super(token); }

    private boolean acquire(long nanos) throws InterruptedException {
        ManagerClient.Args args = out -> out.writeLong(nanos);
        return nanos == 0 ? client().call(id(), Semaphore.ACQUIRE, args, WireBuffer::readBoolean)
                : client().callInterruptibly(id(), Semaphore.ACQUIRE, args, WireBuffer::readBoolean);
    }

    /**
     * Takes a permit, waiting for one.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public void acquire() throws InterruptedException { acquire(Wire.FOREVER); }

    /**
     * Takes a permit only if one is free now.
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        try {
            return acquire(0);
        } catch (InterruptedException e) {
            throw new AssertionError("not interruptible", e);
        }
    }

    /**
     * Python's {@code acquire(timeout=t)}: false if no permit came within the time.
     *
     * @param timeout the longest wait, in {@code unit}
     * @param unit the unit of the time
     * @return whether a permit was taken
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        return acquire(Wire.nanos(timeout, unit));
    }

    /**
     * Python's {@code acquire(block, timeout)} with seconds ({@code null}: wait without limit).
     *
     * @param block {@code false}: return at once rather than wait
     * @param timeoutSeconds the longest wait in seconds, {@code null} for no limit
     * @return whether a permit was taken
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean acquire(boolean block, Double timeoutSeconds) throws InterruptedException {
        if (!block) return tryAcquire();
        if (timeoutSeconds == null) {
            acquire();
            return true;
        }
        return tryAcquire((long) (timeoutSeconds * 1e9), TimeUnit.NANOSECONDS);
    }

    /**
     * Gives a permit back, waking one waiter.
     *
     * @throws IllegalStateException on a bounded semaphore at its bound
     */
    public void release() { client().call(id(), Semaphore.RELEASE, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /**
     * Python's {@code get_value()}: the permits free now.
     *
     * @return the current count
     */
    public int getValue() { return client().call(id(), Semaphore.VALUE, ManagerClient.Args.NONE, WireBuffer::readInt); }

    /**
     * The permits free now ({@link #getValue()}).
     *
     * @return the current count
     */
    public int availablePermits() { return getValue(); }

    @Override public String toString() { return "<" + getClass().getSimpleName() + "(value=" + getValue() + ")>"; }
}
