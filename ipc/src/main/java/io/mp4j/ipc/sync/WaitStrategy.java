package io.mp4j.ipc.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
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
 * share between threads (the budget is a hint, updated racily). The budget doubles when a spin sees the
 * change, and also when a sleep ends soon after it began ({@link #SHORT_SLEEP_NANOS}: spinning longer would
 * have caught it); it halves after a longer sleep (the peer was idle, spinning would have been wasted). Halving
 * on every sleep instead traps the budget at its floor under bursty traffic, where the peer stalls briefly now
 * and then (a queue's consumer slept for most items: docs/journal/2026-12-03-locks-queues-pipes.md#queues).
 */
public final class WaitStrategy {
    /** The longest a thread sleeps in the kernel before re-checking interrupts and peers (50 ms). */
    public static final long SLICE_NANOS = 50_000_000L;

    /** In the sleepers word: a wake-up from {@link #wakeOne} is on its way; the low bits count sleepers. */
    static final int WAKE_PENDING = 1 << 30;
    static final int COUNT_MASK = WAKE_PENDING - 1;

    private static final int MIN_SPINS = 16;
    /** The spin budget's ceiling for most primitives, in {@link Thread#onSpinWait} calls: short next to a futex sleep. */
    public static final int DEFAULT_MAX_SPINS = 1024;
    /**
     * A sleep that ends this soon after it began (the word changed) would have been covered by spinning
     * longer: the budget grows instead of shrinking. Longer sleeps (the peer was idle) shrink it.
     */
    static final long SHORT_SLEEP_NANOS = 200_000;
    /** How long a waiter parks at a time instead of a futex sleep (see {@link #pollInsteadOfSleeping}). */
    static final long LINKING_POLL_NANOS = 50_000;
    /**
     * Polls made instead of futex sleeps in this JVM (for tests): a fresh JVM's first waits, and every wait where
     * futexes are not supported.
     */
    static final java.util.concurrent.atomic.AtomicLong POLLED_WAITS = new java.util.concurrent.atomic.AtomicLong();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final int maxSpins;
    private int spins = 128;

    /** A strategy whose spin budget grows to at most {@link #DEFAULT_MAX_SPINS}. */
    public WaitStrategy() { this(DEFAULT_MAX_SPINS); }

    /**
     * A strategy whose spin budget grows to at most {@code maxSpins} iterations (for a primitive whose peer
     * keeps it busy in bursts, such as a queue's consumer behind a producer).
     *
     * @param maxSpins the budget's ceiling, in {@link Thread#onSpinWait} calls
     */
    public WaitStrategy(int maxSpins) {
        if (maxSpins < MIN_SPINS) throw new IllegalArgumentException("maxSpins must be at least " + MIN_SPINS + ": maxSpins=" + maxSpins);
        this.maxSpins = maxSpins;
    }

    /**
     * How many threads sleep (or are about to) on the word whose sleepers count is at {@code sleepers}.
     *
     * @param seg the segment
     * @param sleepers the offset of the sleepers count
     * @return the count
     */
    public static int sleepers(MemorySegment seg, long sleepers) { return getVolatile(seg, sleepers) & COUNT_MASK; }

    /**
     * Reads an int with volatile semantics.
     *
     * @param seg the segment
     * @param offset its offset, 4-byte aligned
     * @return the value
     */
    public static int getVolatile(MemorySegment seg, long offset) { return (int) INT.getVolatile(seg, offset); }

    /**
     * Waits until {@code ready} accepts the word's value, for at most {@code timeoutNanos} (negative: no limit).
     *
     * @return true when ready, false when the time elapsed first
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     * @param seg the segment holding both ints
     * @param word the offset of the word awaited
     * @param sleepers the offset of its sleepers count
     * @param ready accepts the word's value when the wait is over
     * @param timeoutNanos the longest wait, negative for none
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
     * @param seg the segment holding both ints
     * @param word the offset of the word
     * @param sleepers the offset of its sleepers count
     * @param observed the value the caller saw
     * @param nanos the longest sleep (negative: one slice)
     */
    public void awaitChange(MemorySegment seg, long word, long sleepers, int observed, long nanos,
                            boolean interruptible) throws InterruptedException {
        if (!spin(seg, word, observed)) sleepLearning(seg, word, sleepers, observed, nanos, interruptible);
    }

    /**
     * The spin of {@link #awaitChange} alone: spins while the word holds {@code observed}, within the adaptive budget.
     *
     * @param seg the segment holding the word
     * @param word the offset of the word
     * @param observed the value the caller saw
     * @return true when the word changed, false when the budget ran out first
     */
    public boolean spin(MemorySegment seg, long word, int observed) {
        int budget = spins;
        for (int i = 0; i < budget; i++) {
            if (getVolatile(seg, word) != observed) {
                if (budget < maxSpins) spins = budget << 1;
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /**
     * The sleep of {@link #awaitChange} after its spin failed, learning from it: a short sleep grows the spin
     * budget, a long one shrinks it (a poll instead of a sleep teaches it nothing). For a waiter that spun with
     * {@link #spin} first, or that leaves the spinning to another.
     *
     * @param seg the segment holding both ints
     * @param word the offset of the word
     * @param sleepers the offset of its sleepers count
     * @param observed the value the caller saw
     * @param nanos the longest sleep (negative: one slice)
     * @param interruptible whether to throw when the thread is interrupted (else the status is left set)
     * @throws InterruptedException only if {@code interruptible} and the thread was interrupted
     */
    public void sleepLearning(MemorySegment seg, long word, long sleepers, int observed, long nanos,
                              boolean interruptible) throws InterruptedException {
        int budget = spins;
        boolean polls = !canSleep();
        if (sleep(seg, word, sleepers, observed, nanos, interruptible)) {
            if (budget < maxSpins) spins = budget << 1;
        } else if (!polls && budget > MIN_SPINS) {
            spins = budget >> 1;
        }
    }

    /**
     * The sleep of {@link #awaitChange} without its spin, for a caller that spun on something of its own first
     * (a queue's getter polls its log, which only the producer writes, rather than the word, whose cache line the
     * producer would then lose at every change): sleeps on the futex while the word holds {@code observed}, for at
     * most {@code min(nanos, SLICE_NANOS)} ({@code nanos} negative: one slice).
     *
     * @param seg the segment holding both ints
     * @param word the offset of the word
     * @param sleepers the offset of its sleepers count
     * @param observed the value the caller saw
     * @param nanos the longest sleep (negative: one slice)
     * @param interruptible whether to throw when the thread is interrupted (else the status is left set)
     * @return whether the sleep was short and ended with the word changed (spinning longer would have caught the
     *         change: a caller with an adaptive spin grows it), false after a longer sleep or a poll
     * @throws InterruptedException only if {@code interruptible} and the thread was interrupted
     */
    public static boolean sleep(MemorySegment seg, long word, long sleepers, int observed, long nanos, boolean interruptible)
            throws InterruptedException {
        long slice = nanos < 0 ? SLICE_NANOS : Math.min(nanos, SLICE_NANOS);
        if (!canSleep()) {
            pollInsteadOfSleeping(slice);
            if (interruptible && Thread.interrupted()) throw new InterruptedException();
            return false;
        }
        long asleep = System.nanoTime();
        INT.getAndAdd(seg, sleepers, 1);
        int r = -1;
        try {
            if (getVolatile(seg, word) == observed) r = Futex.wait(seg, word, observed, slice);
        } finally {
            leave(seg, sleepers, r == Futex.WOKEN);
        }
        // a short sleep means the spin just missed the change; a long one, that spinning would have been wasted
        boolean shortSleep = System.nanoTime() - asleep < SHORT_SLEEP_NANOS && getVolatile(seg, word) != observed;
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        return shortSleep;
    }

    /**
     * Sleeps on the word for at most {@code nanos}, if {@code blocked} still holds once this thread counts as
     * a sleeper (with no spin: for callers that spun on a word of their own first). The waker changes its
     * state, reads sleepers, and if non-zero changes the word and wakes ({@link #wakeOne}).
     */
    static void sleepWhile(MemorySegment seg, long word, long sleepers, java.util.function.BooleanSupplier blocked, long nanos) {
        if (!canSleep()) {
            if (blocked.getAsBoolean()) pollInsteadOfSleeping(nanos);
            return;
        }
        INT.getAndAdd(seg, sleepers, 1);
        int r = -1;
        try {
            int observed = getVolatile(seg, word);
            if (blocked.getAsBoolean()) r = Futex.wait(seg, word, observed, nanos);
        } finally {
            leave(seg, sleepers, r == Futex.WOKEN);
        }
    }

    /** Whether a waiter may sleep on a futex now: futexes are supported here, and this JVM has linked its calls. */
    private static boolean canSleep() { return Futex.isSupported() && Futex.ready(); }

    /**
     * Instead of a futex sleep, while this JVM is still linking its futex calls ({@link Futex#ready}, on a daemon
     * thread started when the primitive was made or attached), and on every platform without futexes
     * ({@link Futex#isSupported}: Linux other than x86_64): a park of at most {@link #LINKING_POLL_NANOS}, without
     * counting as a sleeper, so that no waker needs a futex call for it. The caller re-checks its word, as after any
     * sleep. Waiting for the link instead stalled two fresh contending children at their first contention
     * (docs/journal/2026-12-07-figures-from-code-comments.md#locks-and-waiting).
     */
    private static void pollInsteadOfSleeping(long nanos) {
        POLLED_WAITS.incrementAndGet();
        Futex.linkAhead();
        LockSupport.parkNanos(nanos < 0 ? LINKING_POLL_NANOS : Math.min(nanos, LINKING_POLL_NANOS));
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
     *
     * @param seg the segment holding both ints
     * @param word the offset of the word that changed
     * @param sleepers the offset of its sleepers count
     * @param count how many sleepers to wake at most
     */
    public static void wake(MemorySegment seg, long word, long sleepers, int count) {
        if ((getVolatile(seg, sleepers) & COUNT_MASK) != 0) Futex.wake(seg, word, count);
    }

    /**
     * Wakes one sleeper, unless a wake-up sent by an earlier call has not been taken yet: for a lock, where
     * one awake waiter is enough (it wakes the next when it releases), this saves the holder a system call
     * per release while a woken waiter is on its way. For a counter where each change may free another
     * waiter (a semaphore, a queue's item count), only if every waiter that goes on calls it again while
     * there is more to take (the queues do); otherwise use {@link #wake}.
     *
     * @param seg the segment holding both ints
     * @param word the offset of the word that changed
     * @param sleepers the offset of its sleepers count
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
