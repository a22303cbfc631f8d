package io.mp4j.managers;

import io.mp4j.managers.SyncServants.Condition;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A condition variable that lives in a manager (Python's {@code manager.Condition(lock)}), over a
 * {@link LockProxy} or {@link RLockProxy} of the same manager: {@link #acquire()} and {@link #release()} take and
 * free that lock; {@link #await()} frees it, waits for a {@link #signal()}, and takes it back.
 * <pre>{@code
 * ConditionProxy ready = manager.condition();
 * ready.acquire();
 * try {
 *     ready.waitFor(() -> items.size() > 0);
 * } finally {
 *     ready.release();
 * }
 * }</pre>
 *
 * <p>Waiting and signalling need the lock held (by the calling thread, for an RLock), else
 * {@link IllegalMonitorStateException}. An interrupted {@code await} takes the lock back before it throws
 * {@link InterruptedException} (within {@value Server#SLICE_MILLIS} ms of the interrupt), as
 * {@link java.util.concurrent.locks.Condition} says; if a signal came at that moment, it returns normally with
 * the interrupt status set. Spurious wake-ups do not happen, but loop on the predicate anyway
 * ({@link #waitFor}).
 */
public final class ConditionProxy extends BaseProxy implements java.util.concurrent.locks.Condition {
    ConditionProxy(Token token) { super(token); }

    /**
     * The lock this condition is over.
     *
     * @return the lock the condition is over
     */
    public AcquirerProxy getLock() {
        String kind = token.types().get(0);
        Token lock = new Token(kind, token.address(), Long.parseLong(token.types().get(1)), java.util.List.of(), token.authkey());
        return kind.equals("Lock") ? new LockProxy(lock) : new RLockProxy(lock);
    }

    /** Takes the lock (waiting for it; an interrupt is kept for later). */
    public void acquire() {
        client().call(id(), Condition.ACQUIRE, out -> {
            AcquirerProxy.writeCaller(out);
            out.writeLong(Wire.FOREVER);
        }, WireBuffer::readBoolean);
    }

    /** Frees the lock. */
    public void release() { client().call(id(), Condition.RELEASE, AcquirerProxy::writeCaller, ManagerClient.Answer.NONE); }

    /**
     * Whether the calling thread holds the lock (an RLock), or anyone does (a Lock).
     *
     * @return whether the current thread holds the condition's lock
     */
    public boolean isOwned() { return client().call(id(), Condition.HOLD_COUNT, AcquirerProxy::writeCaller, WireBuffer::readInt) > 0; }

    /** Waits at most {@code nanos} (negative: no limit) for a signal; whether one came. */
    private boolean await0(long nanos, boolean interruptible) throws InterruptedException {
        ManagerClient.Args args = out -> {
            AcquirerProxy.writeCaller(out);
            out.writeLong(nanos);
        };
        return interruptible ? client().callInterruptibly(id(), Condition.WAIT, args, WireBuffer::readBoolean)
                : client().call(id(), Condition.WAIT, args, WireBuffer::readBoolean);
    }

    @Override public void await() throws InterruptedException { await0(Wire.FOREVER, true); }

    @Override
    public void awaitUninterruptibly() {
        try {
            await0(Wire.FOREVER, false);
        } catch (InterruptedException e) {
            throw new AssertionError("not interruptible", e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        if (nanosTimeout <= 0) return nanosTimeout;
        long deadline = System.nanoTime() + nanosTimeout;
        boolean signalled = await0(nanosTimeout, true);
        long left = deadline - System.nanoTime();
        return signalled ? Math.max(1, left) : Math.min(0, left);
    }

    /** Python's {@code wait(timeout)}: whether a signal came within the time. */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        if (time <= 0) return false;
        return await0(Wire.nanos(time, unit), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return await(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Python's {@code wait_for(predicate)}: waits until {@code predicate} (evaluated here, lock held) is true.
     *
     * @param predicate the state waited for, evaluated holding the lock
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public void waitFor(BooleanSupplier predicate) throws InterruptedException {
        while (!predicate.getAsBoolean()) await();
    }

    /**
     * Python's {@code wait_for(predicate, timeout)}: the predicate's last value.
     *
     * @param predicate the state waited for, evaluated holding the lock
     * @param time the longest wait, in {@code unit}
     * @param unit the unit of the time
     * @return whether the predicate held before the time was up
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean waitFor(BooleanSupplier predicate, long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(time);
        boolean ok;
        while (!(ok = predicate.getAsBoolean())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            await(left, TimeUnit.NANOSECONDS);
        }
        return ok;
    }

    /** Python's {@code notify()}: wakes one waiter. */
    @Override public void signal() { signal(1); }

    /** Python's {@code notify_all()}. */
    @Override public void signalAll() { signal(Integer.MAX_VALUE); }

    /**
     * Python's {@code notify(n)}: wakes up to {@code n} waiters.
     *
     * @param n how many waiters to wake
     */
    public void signal(int n) {
        if (n < 0) throw new IllegalArgumentException("n must not be negative: n=" + n);
        client().call(id(), Condition.NOTIFY, out -> {
            AcquirerProxy.writeCaller(out);
            out.writeInt(n);
        }, ManagerClient.Answer.NONE);
    }
}
