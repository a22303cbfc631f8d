package io.mp4j.ipc.sync;

import io.mp4j.ipc.shm.Segment;

/**
 * The robust mutex under {@link Lock}, {@link RLock} and {@link Barrier}: one owner word in shared memory.
 *
 * <pre>
 *   base+0   owner    long  0 = free; else (thread id &lt;&lt; 32) | pid of the holder
 *   base+8   gen      int   futex word: bumped on every release, so sleepers wake
 *   base+12  sleepers int   threads asleep on gen (see WaitStrategy)
 *   base+16  count    int   RLock recursion count, written by the holder only
 *   base+20  (reserved)     LENGTH = 24
 * </pre>
 *
 * Invariants: owner changes 0 → me by CAS (acquire), me → 0 by the holder (release, then gen++ and a
 * wake if anyone sleeps), and dead → me by CAS when a waiter finds the holder's process gone.
 */
final class OwnerSync extends SharedWords {
    static final long OWNER = 0, GEN = 8, SLEEPERS = 12, COUNT = 16;
    static final long LENGTH = 24;
    /** How long a waiter waits before checking whether the holder's process is still alive. */
    static final long OWNER_CHECK_NANOS = 100_000_000L;

    private final WaitStrategy ws = new WaitStrategy();
    private final String what;

    OwnerSync(Segment segment, long base, String what) {
        super(segment, base);
        this.what = what;
        Warmup.start();
    }

    /** A lock in private memory, for {@link Warmup}. */
    OwnerSync(java.lang.foreign.MemorySegment m, long base) {
        super(null, m, base);
        this.what = "warm-up";
    }

    static long me() { return (Thread.currentThread().threadId() << 32) | (PID & 0xFFFF_FFFFL); }

    static int pidOf(long owner) { return (int) owner; }

    long owner() { return getLong(OWNER); }

    /** The RLock count: read and written by the holder only (release/acquire suffice; no fence). */
    int count() { return (int) INT.getAcquire(m, base + COUNT); }

    void setCount(int c) { INT.setRelease(m, base + COUNT, c); }

    boolean tryAcquire(long me) { return getLong(OWNER) == 0 && casLong(OWNER, 0, me); }

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
            int g = getInt(GEN);
            long o = getLong(OWNER);
            if (o == 0) {
                if (casLong(OWNER, 0, me)) return true;
                continue;
            }
            long now = System.nanoTime();
            if (now - lastCheck >= OWNER_CHECK_NANOS) {
                lastCheck = now;
                int pid = pidOf(o);
                if (pid != PID && !isAlive(pid) && casLong(OWNER, o, me)) {
                    throw new OwnerDiedException(pid, what);
                }
            }
            long left = -1;
            if (nanos > 0) {
                left = nanos - (now - start);
                if (left <= 0) return false;
            }
            ws.awaitChange(m, base + GEN, base + SLEEPERS, g, left, interruptible);
        }
    }

    /** Frees the owner word (the caller checked it may). */
    void release() {
        LONG.setRelease(m, base + OWNER, 0L);
        addInt(GEN, 1); // a full fence: the sleepers read below cannot pass it (Dekker with WaitStrategy)
        WaitStrategy.wakeOne(m, base + GEN, base + SLEEPERS);
    }

    /** Frees the word if {@code expected} holds it; false otherwise. */
    boolean release(long expected) {
        if (!casLong(OWNER, expected, 0)) return false;
        addInt(GEN, 1);
        WaitStrategy.wakeOne(m, base + GEN, base + SLEEPERS);
        return true;
    }

    static boolean isAlive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
