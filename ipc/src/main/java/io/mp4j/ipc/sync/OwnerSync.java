package io.mp4j.ipc.sync;

import io.mp4j.ipc.shm.Segment;

/**
 * The robust mutex under {@link Lock}, {@link RLock} and {@link Barrier}: one owner word in shared memory.
 *
 * <pre>
 *   base+0   owner    long  0 = free; else (thread id &lt;&lt; 32) | pid of the holder
 *   base+8   gen      int   futex word: bumped by a release that finds sleepers, before it wakes one
 *   base+12  sleepers int   threads asleep (or about to sleep) on gen (see WaitStrategy)
 *   base+16  count    int   RLock recursion count, written by the holder only; 1 while the lock is free
 *   base+20  (reserved)     LENGTH = 24
 * </pre>
 *
 * Invariants: owner changes 0 → me by CAS (acquire), me → 0 by the holder (release, then gen++ and a
 * wake if anyone sleeps), and dead → me by CAS when a waiter finds the holder's process gone.
 *
 * <p>A waiter polls the owner word a few times with exponential back-off, then sleeps: it counts itself
 * in sleepers, reads gen, re-reads the owner and sleeps on gen only if the lock is still held; a release
 * stores owner = 0, then reads sleepers (Dekker: one of the two sees the other's write). The lock is not
 * fair: a releasing thread may take it again at once, as with a pthread mutex or CPython's lock; under
 * contention between processes this keeps the cache line with one holder at a time. A release bumps the
 * generation only when somebody sleeps, which keeps the uncontended path short (docs/journal/2026-12-07-figures-from-code-comments.md#locks-and-waiting).
 */
final class OwnerSync extends SharedWords {
    static final long OWNER = 0, GEN = 8, SLEEPERS = 12, COUNT = 16;
    static final long LENGTH = 24;
    /** How long a waiter waits before checking whether the holder's process is still alive. */
    static final long OWNER_CHECK_NANOS = 100_000_000L;

    private final String what;

    OwnerSync(Segment segment, long base, String what) {
        super(segment, base);
        this.what = what;
    }

    static long me() { return (Thread.currentThread().threadId() << 32) | (PID & 0xFFFF_FFFFL); }

    static int pidOf(long owner) { return (int) owner; }

    long owner() { return getLong(OWNER); }

    /** The RLock count: read and written by the holder only (release/acquire suffice; no fence). */
    int count() { return (int) INT.getAcquire(m, base + COUNT); }

    void setCount(int c) { INT.setRelease(m, base + COUNT, c); }

    boolean tryAcquire(long me) { return getLong(OWNER) == 0 && casLong(OWNER, 0, me); }

    /** One compare-and-set of a free owner word to {@code me}, without reading it first. */
    boolean casOwner(long me) { return casLong(OWNER, 0, me); }

    /**
     * Acquires the owner word for {@code me}, waiting at most {@code nanos} (negative: no limit).
     *
     * @return false on timeout
     * @throws OwnerDiedException when it took the lock over from a dead process (the caller holds it)
     */
    boolean acquire(long me, long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        if (tryAcquire(me)) return true;
        if (nanos == 0) return false;
        long start = System.nanoTime();
        long lastCheck = start;
        for (;;) {
            if (spinAcquire(me)) return true;
            long o = getLong(OWNER);
            if (o == 0) continue;
            long now = System.nanoTime();
            if (now - lastCheck >= OWNER_CHECK_NANOS) {
                lastCheck = now;
                int pid = pidOf(o);
                if (pid != PID && !isAlive(pid) && casLong(OWNER, o, me)) {
                    throw new OwnerDiedException(pid, what);
                }
            }
            long slice = WaitStrategy.SLICE_NANOS;
            if (nanos > 0) {
                long left = nanos - (now - start);
                if (left <= 0) return false;
                slice = Math.min(slice, left);
            }
            WaitStrategy.sleepWhile(m, base + GEN, base + SLEEPERS, () -> getLong(OWNER) != 0, slice);
            if (interruptible && Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** Polls of the owner word before {@link #acquire} sleeps. */
    private static final int SPIN_POLLS = 24;
    private static final int MAX_BACKOFF = 64;

    /**
     * A short spin on the owner word with exponential back-off between polls. A waiter that polls the word
     * without pause takes its cache line from the holder at every poll, and the holder's next write has to
     * take it back: with two processes hammering one lock that makes every operation a cache miss.
     */
    private boolean spinAcquire(long me) {
        int backoff = 1;
        for (int i = 0; i < SPIN_POLLS; i++) {
            for (int k = 0; k < backoff; k++) Thread.onSpinWait();
            if (getLong(OWNER) == 0 && casLong(OWNER, 0, me)) return true;
            if (backoff < MAX_BACKOFF) backoff <<= 1;
        }
        return false;
    }

    /** Frees the owner word (the caller checked it may). */
    void release() {
        LONG.setVolatile(m, base + OWNER, 0L); // a full fence: the sleepers read cannot pass it (Dekker)
        wakeSleeper();
    }

    /** Frees the word if {@code expected} holds it; false otherwise. */
    boolean release(long expected) {
        if (!casLong(OWNER, expected, 0)) return false;
        wakeSleeper();
        return true;
    }

    /**
     * After a release: if a waiter sleeps (or is about to), bump the futex word and wake one. A release
     * with nobody asleep writes nothing more: spinning waiters watch the owner word itself.
     */
    private void wakeSleeper() {
        if ((getInt(SLEEPERS) & WaitStrategy.COUNT_MASK) == 0) return;
        addInt(GEN, 1);
        WaitStrategy.wakeOne(m, base + GEN, base + SLEEPERS);
    }

    static boolean isAlive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
