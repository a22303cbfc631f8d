package io.mp4j.ipc.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.shm.Segments;

import java.nio.file.Path;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code multiprocessing.Condition} over a {@link Lock} or {@link RLock}, usable as a
 * {@link java.util.concurrent.locks.Condition}. Mesa semantics: a woken waiter re-acquires the lock and must
 * re-check its predicate ({@link #waitFor} does). Python's {@code wait}/{@code notify}/{@code notify_all} are
 * {@code await}/{@code signal(n)}/{@link #signalAll()} ({@code Object}'s names are taken).
 *
 * <pre>
 *   base+0  seq       int   futex word: bumped by every signal
 *   base+4  sleepers  int
 *   base+8  state     long  (waiters &lt;&lt; 32) | signals: threads waiting, and wake-ups granted not yet taken
 * </pre>
 *
 * A waiter adds itself to waiters, releases the lock, and leaves when it takes a granted signal (or, on timeout
 * or interrupt, by removing itself from waiters, or by taking a signal if all waiters were granted one: it was
 * signalled). {@code signal(n)} moves min(n, waiters) from waiters to signals. Both need the lock held.
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *     cond.waitFor(() -> !items.isEmpty());
 *     take();
 * } finally { lock.unlock(); }
 * }</pre>
 *
 * <p>Interrupts: {@link #await()}, {@link #awaitNanos}, {@link #await(long, TimeUnit)}, {@link #awaitUntil} and
 * {@link #waitFor} throw {@link InterruptedException} if the thread is interrupted on entry or while waiting
 * (the lock is re-acquired first); a waiter already signalled when interrupted returns normally with its
 * interrupt status set. Visibility across JVMs: that of the lock.
 */
public final class Condition extends SharedWords implements java.util.concurrent.locks.Condition, Shareable {
    static final long SEQ = 0, SLEEPERS = 4, STATE = 8, LENGTH = 16;
    private static final long ONE_WAITER = 1L << 32;

    /** What travels: the condition's words and its lock's handle (a {@code Lock.Handle} or {@code RLock.Handle}). */
    public record Handle(String path, long offset, String lockKind, String lockPath, long lockOffset) {}

    private final SharedLock lock;
    private final OwnerSync lockSync;
    private final WaitStrategy ws = new WaitStrategy();

    private Condition(Segment segment, long offset, SharedLock lock) {
        super(segment, offset);
        this.lock = lock;
        this.lockSync = lock instanceof RLock r ? r.sync() : ((Lock) lock).sync();
    }

    /** A new condition over {@code lock} in its own segment in {@code dir}. */
    public static Condition create(Path dir, SharedLock lock) {
        if (lock == null) throw new IllegalArgumentException("lock must not be null");
        return new Condition(Segments.create(dir, "condition", SegmentDescriptor.KIND_SYNC, LENGTH), SegmentDescriptor.HEADER_LENGTH, lock);
    }

    @JsonCreator
    public static Condition attach(Handle h) {
        SharedLock l = "RLock".equals(h.lockKind()) ? RLock.attach(new RLock.Handle(h.lockPath(), h.lockOffset()))
                : Lock.attach(new Lock.Handle(h.lockPath(), h.lockOffset()));
        return new Condition(Segments.attach(h.path()), h.offset(), l);
    }

    @JsonValue
    public Handle handle() {
        return new Handle(segment.path().toString(), base, lock instanceof RLock ? "RLock" : "Lock",
                lockSync.segment.path().toString(), lockSync.base);
    }

    /** The lock this condition is bound to. */
    public SharedLock getLock() { return lock; }

    /** Python's {@code acquire()} on the condition: acquires its lock. */
    public void acquire() { lock.lock(); }

    /** Python's {@code release()} on the condition: releases its lock. */
    public void release() { lock.unlock(); }

    /** Acquires the lock for a try-with-resources block (Python's {@code with cond:}). */
    public SharedLock.Held hold() { return lock.hold(); }

    // ------------------------------------------------------------------ waiting

    @Override
    public void await() throws InterruptedException { awaitImpl(-1, true); }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitImpl(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        if (nanosTimeout <= 0) nanosTimeout = 0;
        awaitImpl(nanosTimeout, true);
        return nanosTimeout - (System.nanoTime() - start);
    }

    /** Python's {@code wait(timeout)}: false if the time elapsed before a signal. */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException { return awaitImpl(nanos(time, unit), true); }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitImpl(Math.max(0, TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())), true);
    }

    /** Python's {@code wait_for(predicate)}: waits until the predicate holds (checked with the lock held). */
    public void waitFor(BooleanSupplier predicate) throws InterruptedException {
        while (!predicate.getAsBoolean()) awaitImpl(-1, true);
    }

    /** Python's {@code wait_for(predicate, timeout)}: the predicate's last value. */
    public boolean waitFor(BooleanSupplier predicate, long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + nanos(time, unit);
        boolean r;
        while (!(r = predicate.getAsBoolean())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            awaitImpl(left, true);
        }
        return r;
    }

    /** Wakes one waiter (Python's {@code notify()}). Needs the lock held. */
    @Override
    public void signal() { signal(1); }

    /** Wakes all waiters (Python's {@code notify_all()}). Needs the lock held. */
    @Override
    public void signalAll() { signal(Integer.MAX_VALUE); }

    /** Wakes up to {@code n} waiters (Python's {@code notify(n)}). Needs the lock held. */
    public void signal(int n) {
        if (n < 0) throw new IllegalArgumentException("n must not be negative: n=" + n);
        checkHeld("notify on");
        int k;
        for (;;) {
            long st = getLong(STATE);
            int waiters = (int) (st >>> 32);
            k = Math.min(n, waiters);
            if (k == 0) return;
            if (casLong(STATE, st, st - k * ONE_WAITER + k)) break;
        }
        addInt(SEQ, 1);
        WaitStrategy.wake(m, base + SEQ, base + SLEEPERS, k);
    }

    /** Threads of every process waiting now (a snapshot). */
    public int getWaitQueueLength() { return (int) (getLong(STATE) >>> 32); }

    /** @return false if it timed out */
    private boolean awaitImpl(long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        checkHeld("wait on");
        long deadline = System.nanoTime() + nanos;
        int s = getInt(SEQ);
        for (;;) { // join the waiters
            long st = getLong(STATE);
            if (casLong(STATE, st, st + ONE_WAITER)) break;
        }
        int holds = releaseLock();
        boolean signalled = false;
        InterruptedException interrupted = null;
        try {
            for (;;) {
                if (takeSignal()) { signalled = true; break; }
                long left = -1;
                if (nanos >= 0 && (left = deadline - System.nanoTime()) <= 0) { signalled = leave(); break; }
                try {
                    ws.awaitChange(m, base + SEQ, base + SLEEPERS, s, left, interruptible);
                } catch (InterruptedException e) {
                    if (leave()) Thread.currentThread().interrupt(); // signalled: return normally, status set
                    else interrupted = e;
                    signalled = true;
                    break;
                }
                s = getInt(SEQ);
            }
        } finally {
            reacquireLock(holds);
        }
        if (interrupted != null) throw interrupted;
        return signalled;
    }

    private boolean takeSignal() {
        for (;;) {
            long st = getLong(STATE);
            if ((int) st <= 0) return false;
            if (casLong(STATE, st, st - 1)) return true;
        }
    }

    /** Leaves the waiters after a timeout or interrupt; true if it had to take a signal instead (it was signalled). */
    private boolean leave() {
        for (;;) {
            long st = getLong(STATE);
            if ((st >>> 32) > 0) {
                if (casLong(STATE, st, st - ONE_WAITER)) return false;
            } else if ((int) st > 0) {
                if (casLong(STATE, st, st - 1)) return true;
            } else {
                Thread.onSpinWait(); // a signaller is between its two updates: impossible with one CAS, kept for safety
            }
        }
    }

    private void checkHeld(String what) {
        if (lockSync.owner() != OwnerSync.me()) throw new IllegalStateException("cannot " + what + " an un-acquired lock: " + lock);
    }

    private int releaseLock() {
        if (lock instanceof RLock r) return r.releaseAll();
        lockSync.release();
        return 1;
    }

    private void reacquireLock(int holds) {
        long me = OwnerSync.me();
        try {
            lockSync.acquire(me, -1, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            if (lock instanceof RLock && lockSync.owner() == me) lockSync.setCount(holds);
        }
    }

    @Override
    public String toString() { return "<Condition(" + lock + ", " + getWaitQueueLength() + ")>"; }
}
