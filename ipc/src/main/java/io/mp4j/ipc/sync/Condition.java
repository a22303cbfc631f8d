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
 *   base+0   ticket    int   next waiter's ticket (FIFO order)
 *   base+64  slots     MAX_WAITERS x 16 bytes: state int (0 free, 1 claimed, 2 waiting, 3 signalled; the
 *                      waiter's futex word), sleepers int, ticket int, pid int (the waiter's process)
 * </pre>
 *
 * A waiter claims a free slot, takes a ticket, marks the slot waiting, releases the lock and sleeps on its own
 * slot. {@code signal(n)} marks the n waiting slots with the lowest tickets signalled (CAS 2 → 3) and wakes
 * exactly those. A waiter that times out or is interrupted frees its slot by CAS 2 → 0; if that fails it was
 * signalled and returns as such. A waiting slot whose process has died (killed inside {@code await}) is freed
 * by the {@code signal} that finds it, which goes on to the next waiter: a dead waiter never takes a signal.
 * So a signal is never taken by a thread that started waiting after it, and never lost. Both need the lock held. At most {@link #MAX_WAITERS} threads wait at once on one condition
 * (more wait for a slot, polling every millisecond).
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
public final class Condition extends SharedWords implements io.mp4j.shared.MpCondition, Shareable {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Condition.class, Condition.Handle.class, Condition::handle, Condition::attach);
    }

    /** The most threads (of all processes) that can wait on one condition at a time. */
    public static final int MAX_WAITERS = 128;
    static final long TICKET = 0, SLOTS = 64, SLOT_SIZE = 16, LENGTH = SLOTS + MAX_WAITERS * SLOT_SIZE;
    static final int FREE = 0, CLAIMED = 1, WAITING = 2, SIGNALLED = 3;

    /**
     * What travels: the condition's words and its lock's handle (a {@code Lock.Handle} or {@code RLock.Handle}).
     *
     * @param path the segment file
     * @param offset the condition's words in it
     * @param lockKind the kind of its lock
     * @param lockPath the lock's segment file
     * @param lockOffset the lock's offset in it
     */
    public record Handle(String path, long offset, String lockKind, String lockPath, long lockOffset) {}

    private final SharedLock lock;
    private final OwnerSync lockSync;
    private final WaitStrategy ws = new WaitStrategy();

    private Condition(Segment segment, long offset, SharedLock lock) {
        super(segment, offset);
        this.lock = lock;
        this.lockSync = lock instanceof RLock r ? r.sync() : ((Lock) lock).sync();
    }

    /**
     * A new condition over {@code lock} in its own segment in {@code dir}.
     *
     * @param dir the directory the segment file goes into
     * @param lock the lock the condition is bound to
     * @return the new condition
     */
    public static Condition create(Path dir, SharedLock lock) {
        if (lock == null) throw new IllegalArgumentException("lock must not be null");
        linkAhead();
        return new Condition(Segments.create(dir, "condition", SegmentDescriptor.KIND_SYNC, LENGTH), SegmentDescriptor.HEADER_LENGTH, lock);
    }

    /**
     * Re-attaches a condition from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same condition, with its lock
     * @throws IllegalArgumentException if a segment is missing or of an incompatible version
     */
    @JsonCreator
    public static Condition attach(Handle h) {
        linkAhead();
        SharedLock l = "RLock".equals(h.lockKind()) ? RLock.attach(new RLock.Handle(h.lockPath(), h.lockOffset()))
                : Lock.attach(new Lock.Handle(h.lockPath(), h.lockOffset()));
        return new Condition(Segments.attach(h.path()), h.offset(), l);
    }

    /**
     * The handle this condition travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() {
        return new Handle(segment.path().toString(), base, lock instanceof RLock ? "RLock" : "Lock",
                lockSync.segment.path().toString(), lockSync.base);
    }

    /**
     * The lock this condition is bound to.
     *
     * @return the lock
     */
    public SharedLock getLock() { return lock; }

    /** Python's {@code acquire()} on the condition: acquires its lock. */
    public void acquire() { lock.lock(); }

    /** Python's {@code release()} on the condition: releases its lock. */
    public void release() { lock.unlock(); }

    /**
     * Acquires the lock for a try-with-resources block (Python's {@code with cond:}).
     *
     * @return the held lock, to close
     */
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

    /**
     * Python's {@code wait_for(predicate)}: waits until the predicate holds (checked with the lock held).
     *
     * @param predicate checked with the lock held
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
    public void waitFor(BooleanSupplier predicate) throws InterruptedException {
        while (!predicate.getAsBoolean()) awaitImpl(-1, true);
    }

    /**
     * Python's {@code wait_for(predicate, timeout)}: the predicate's last value.
     *
     * @param predicate checked with the lock held
     * @param time how long to wait at most
     * @param unit the unit of {@code time}
     * @return the predicate's last value
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
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

    /**
     * Wakes up to {@code n} waiters (Python's {@code notify(n)}), the longest waiting first. Needs the lock held.
     *
     * @param n how many waiters to wake at most
     */
    public void signal(int n) {
        if (n < 0) throw new IllegalArgumentException("n must not be negative: n=" + n);
        checkHeld("notify on");
        int woken = 0;
        while (woken < n) {
            long best = -1;
            int bestTicket = 0;
            for (int i = 0; i < MAX_WAITERS; i++) {
                long slot = SLOTS + i * SLOT_SIZE;
                if (getInt(slot) == WAITING) {
                    int t = getInt(slot + 8);
                    if (best < 0 || t - bestTicket < 0) { best = slot; bestTicket = t; }
                }
            }
            if (best < 0) return;
            if (isDeadWaiter(best)) {
                casInt(best, WAITING, FREE); // killed while waiting: it must not take this signal
                continue;
            }
            if (casInt(best, WAITING, SIGNALLED)) {
                WaitStrategy.wake(m, base + best, base + best + 4, 1);
                woken++;
            }
        }
    }

    /**
     * Threads of every process waiting now (a snapshot).
     *
     * @return the number of waiting threads
     */
    public int getWaitQueueLength() {
        int n = 0;
        for (int i = 0; i < MAX_WAITERS; i++) if (getInt(SLOTS + i * SLOT_SIZE) == WAITING) n++;
        return n;
    }

    /** @return false if it timed out */
    private boolean awaitImpl(long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        checkHeld("wait on");
        long deadline = System.nanoTime() + nanos;
        long slot = claimSlot();
        setInt(slot + 12, PID);
        setInt(slot + 8, addInt(TICKET, 1));
        setInt(slot, WAITING);
        int holds = releaseLock();
        boolean signalled;
        InterruptedException interrupted = null;
        try {
            for (;;) {
                if (getInt(slot) == SIGNALLED) { signalled = true; break; }
                long left = -1;
                if (nanos >= 0 && (left = deadline - System.nanoTime()) <= 0) { signalled = !casInt(slot, WAITING, FREE); break; }
                try {
                    ws.awaitChange(m, base + slot, base + slot + 4, WAITING, left, interruptible);
                } catch (InterruptedException e) {
                    signalled = !casInt(slot, WAITING, FREE);
                    if (signalled) Thread.currentThread().interrupt(); // signalled: return normally, status set
                    else interrupted = e;
                    break;
                }
            }
            if (signalled) setInt(slot, FREE);
        } finally {
            reacquireLock(holds);
        }
        if (interrupted != null) throw interrupted;
        return signalled;
    }

    /** A free slot, marked claimed. Called with the lock held. */
    private long claimSlot() {
        int start = (int) (Thread.currentThread().threadId() % MAX_WAITERS);
        for (;;) {
            for (int k = 0; k < MAX_WAITERS; k++) {
                long slot = SLOTS + ((start + k) % MAX_WAITERS) * SLOT_SIZE;
                if (getInt(slot) == FREE && casInt(slot, FREE, CLAIMED)) return slot;
            }
            for (int k = 0; k < MAX_WAITERS; k++) {
                long slot = SLOTS + k * SLOT_SIZE;
                int st = getInt(slot);
                // left by a dead process (a claimed slot's pid may be its previous owner's: only once waiting is it the owner's)
                if ((st == WAITING || st == SIGNALLED) && isDeadWaiter(slot) && casInt(slot, st, CLAIMED)) return slot;
            }
            try {
                Thread.sleep(1); // all slots taken: rare; a waiter leaving frees one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the slot's waiter belongs to a process that has ended (a slot of this process never does). */
    private boolean isDeadWaiter(long slot) {
        int pid = getInt(slot + 12);
        return pid != 0 && pid != PID && !OwnerSync.isAlive(pid);
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
