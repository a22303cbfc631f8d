package io.mp4j.ipc.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.IntPredicate;

/**
 * The one way every primitive of this project waits on a word of shared memory: a short adaptive spin,
 * then a futex, with a count of sleepers beside the word so that a waker makes the wake system call only
 * when somebody sleeps.
 *
 * <p>Two {@code int}s of a mapped segment take part: the <em>word</em> whose value is awaited, and a
 * <em>sleepers</em> count (4-byte aligned, conventionally the next int). The protocol is Dekker's: a waiter
 * increments sleepers, re-reads the word and sleeps only if it still holds the value it saw; a waker
 * changes the word, then reads sleepers and calls {@code FUTEX_WAKE} only if it is non-zero. Both sides use
 * sequentially consistent accesses, so a wake-up is never lost.
 *
 * <pre>{@code
 * // waiter                                          // waker
 * WaitStrategy ws = new WaitStrategy();              WORD.setVolatile(seg, WORD_OFF, 1);
 * ws.await(seg, WORD_OFF, SLEEPERS_OFF,              WaitStrategy.wake(seg, WORD_OFF, SLEEPERS_OFF, Integer.MAX_VALUE);
 *          v -> v == 1, -1);
 * }</pre>
 *
 * <p>A sleeper never blocks longer than {@link #SLICE_NANOS} at a time, because {@code Thread.interrupt()}
 * cannot free a thread blocked in the kernel and a peer may die without waking anybody: each slice ends
 * with a check of the interrupt status (interruptible waits) and lets the caller check its peers.
 *
 * <p>An instance holds only the adaptive spin budget: keep one per primitive per process. It is safe to
 * share between threads (the budget is a hint, updated racily).
 */
public final class WaitStrategy {
    /** The longest a thread sleeps in the kernel before re-checking interrupts and peers (50 ms). */
    public static final long SLICE_NANOS = 50_000_000L;

    /** In the sleepers word: a wake-up from {@link #wakeOne} is on its way; the low bits count sleepers. */
    static final int WAKE_PENDING = 1 << 30;
    static final int COUNT_MASK = WAKE_PENDING - 1;

    private static final int MIN_SPINS = 16;
    private static final int MAX_SPINS = 1024;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static {
        // Link the futex downcall now (a primitive is being made or attached), not in the middle of the first
        // contended wait: building the downcall handle and its first call take tens of milliseconds in a fresh JVM.
        if (Futex.isSupported()) {
            MemorySegment scratch = java.lang.foreign.Arena.ofAuto().allocate(8, 8);
            Futex.wake(scratch, 0, 1);
            Futex.wait(scratch, 0, 1, 0);
        }
    }

    private int spins = 128;

    /** Reads an int with volatile semantics. */
    public static int getVolatile(MemorySegment seg, long offset) { return (int) INT.getVolatile(seg, offset); }

    /**
     * Waits until {@code ready} accepts the word's value, for at most {@code timeoutNanos} (negative: no limit).
     *
     * @return true when ready, false when the time elapsed first
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     */
    public boolean await(MemorySegment seg, long word, long sleepers, IntPredicate ready, long timeoutNanos)
            throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        for (;;) {
            int v = getVolatile(seg, word);
            if (ready.test(v)) return true;
            long left = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
            if (timeoutNanos >= 0 && left <= 0) return false;
            awaitChange(seg, word, sleepers, v, left, true);
        }
    }

    /**
     * Waits while the word holds {@code observed}: spins briefly, then sleeps on the futex for at most
     * {@code min(nanos, SLICE_NANOS)} ({@code nanos} negative: one slice). Returns when the word changed,
     * the slice ended, or spuriously: the caller re-reads the word and decides.
     *
     * @param interruptible whether to throw when the thread is interrupted (else the status is left set)
     * @throws InterruptedException only if {@code interruptible} and the thread was interrupted
     */
    public void awaitChange(MemorySegment seg, long word, long sleepers, int observed, long nanos,
                            boolean interruptible) throws InterruptedException {
        int budget = spins;
        for (int i = 0; i < budget; i++) {
            if (getVolatile(seg, word) != observed) {
                if (budget < MAX_SPINS) spins = budget << 1;
                return;
            }
            Thread.onSpinWait();
        }
        if (budget > MIN_SPINS) spins = budget >> 1;
        long slice = nanos < 0 ? SLICE_NANOS : Math.min(nanos, SLICE_NANOS);
        INT.getAndAdd(seg, sleepers, 1);
        int r = -1;
        try {
            if (getVolatile(seg, word) == observed) r = Futex.wait(seg, word, observed, slice);
        } finally {
            leave(seg, sleepers, r == Futex.WOKEN);
        }
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
    }

    /**
     * Sleeps on the word for at most {@code nanos}, if {@code blocked} still holds once this thread counts as
     * a sleeper (with no spin: for callers that spun on a word of their own first). The waker changes its
     * state, reads sleepers, and if non-zero changes the word and wakes ({@link #wakeOne}).
     */
    static void sleepWhile(MemorySegment seg, long word, long sleepers, java.util.function.BooleanSupplier blocked, long nanos) {
        INT.getAndAdd(seg, sleepers, 1);
        int r = -1;
        try {
            int observed = getVolatile(seg, word);
            if (blocked.getAsBoolean()) r = Futex.wait(seg, word, observed, nanos);
        } finally {
            leave(seg, sleepers, r == Futex.WOKEN);
        }
    }

    /** Stops counting as a sleeper; a woken sleeper also clears {@link #WAKE_PENDING}, so the next wakeOne wakes again. */
    private static void leave(MemorySegment seg, long sleepers, boolean woken) {
        for (;;) {
            int w = getVolatile(seg, sleepers);
            int next = (woken ? w & ~WAKE_PENDING : w) - 1;
            if (INT.compareAndSet(seg, sleepers, w, next)) return;
        }
    }

    /**
     * Wakes up to {@code count} sleepers on the word, making the system call only if some thread sleeps.
     * Call it after changing the word (with a volatile store or an atomic update).
     */
    public static void wake(MemorySegment seg, long word, long sleepers, int count) {
        if ((getVolatile(seg, sleepers) & COUNT_MASK) != 0) Futex.wake(seg, word, count);
    }

    /**
     * Wakes one sleeper, unless a wake-up sent by an earlier call has not been taken yet: for a lock, where
     * one awake waiter is enough (it wakes the next when it releases), this saves the holder a system call
     * per release while a woken waiter is on its way. Not for counters such as semaphores, where each
     * release may free another waiter: use {@link #wake}.
     */
    public static void wakeOne(MemorySegment seg, long word, long sleepers) {
        for (;;) {
            int w = getVolatile(seg, sleepers);
            if ((w & COUNT_MASK) == 0 || (w & WAKE_PENDING) != 0) return;
            if (INT.compareAndSet(seg, sleepers, w, w | WAKE_PENDING)) break;
        }
        if (Futex.wake(seg, word, 1) == 0) { // nobody was asleep after all (it timed out or saw the change)
            for (;;) {
                int w = getVolatile(seg, sleepers);
                if ((w & WAKE_PENDING) == 0 || INT.compareAndSet(seg, sleepers, w, w & ~WAKE_PENDING)) return;
            }
        }
    }
}
