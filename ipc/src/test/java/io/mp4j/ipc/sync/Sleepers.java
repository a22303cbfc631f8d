package io.mp4j.ipc.sync;

/**
 * How many threads sleep in the kernel on a primitive now: the sleepers count beside its futex word (see
 * {@link WaitStrategy}), which a waiter raises only once it has stopped spinning and is about to sleep. A test
 * that must know a thread really waits (before it interrupts, releases or signals) awaits this count.
 */
final class Sleepers {
    private Sleepers() {}

    static int of(Lock l) { return of(l.sync()); }

    static int of(RLock l) { return of(l.sync()); }

    static int of(OwnerSync s) { return WaitStrategy.sleepers(s.m, s.base + OwnerSync.SLEEPERS); }

    static int of(Semaphore s) { return WaitStrategy.sleepers(s.w.m, s.w.base + Semaphore.SLEEPERS); }

    static int of(Event e) { return WaitStrategy.sleepers(e.m, e.base + Event.SLEEPERS); }

    static int of(Barrier b) { return WaitStrategy.sleepers(b.m, b.base + Barrier.SLEEPERS); }

    /** Waiters of a condition asleep on their slots (each waiter sleeps on a word of its own). */
    static int of(Condition c) {
        int n = 0;
        for (int i = 0; i < Condition.MAX_WAITERS; i++) {
            n += WaitStrategy.sleepers(c.m, c.base + Condition.SLOTS + i * Condition.SLOT_SIZE + 4);
        }
        return n;
    }
}
