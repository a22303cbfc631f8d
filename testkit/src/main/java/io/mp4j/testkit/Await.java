package io.mp4j.testkit;

import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way a test waits: for a condition on observable state (a waiter count, a file, a thread asleep in the
 * kernel, a process gone), under a deadline, failing with what it waited for and the last state it saw.
 *
 * <pre>{@code
 * Await.until("the waiter sleeps on the lock", () -> Probe.sleepers(lock) == 1);
 * List<Long> pids = Await.until("both workers up", pool::workerPids, p -> p.size() == 2);
 * Await.ended(thread);
 * }</pre>
 *
 * <p>It polls: at once, then with pauses that grow from 50 microseconds to 10 milliseconds, so a condition
 * that is already true costs nothing and a slow one costs little CPU. It never waits on time alone: a test
 * that needs "long enough for X" waits for X. The deadline ({@link #DEFAULT}, 30 s unless said) is generous:
 * it bounds a broken test, it does not tune a working one; {@code -Dmp4j.test.timeScale=2} doubles every
 * deadline on a slow machine.
 *
 * <p>Interrupts: the caller's interrupt ends the wait with an {@link AssertionFailedError} that says so and
 * keeps the interrupt status (the JUnit timeout interrupts the test thread).
 */
public final class Await {
    /** The deadline when none is given: 30 s, times {@code mp4j.test.timeScale}. */
    public static final Duration DEFAULT = scaled(Duration.ofSeconds(30));

    /**
     * The deadline for a standby JVM's warm-up, 4 minutes times {@code mp4j.test.timeScale}: a standby warms up on
     * idle CPU only, so on a machine kept busy (the suite's other stream, a loaded CI host) it waits for idle time.
     * A test that waits this long needs a JUnit timeout above it.
     */
    public static final Duration WARM_UP = scaled(Duration.ofMinutes(4));

    private static final long FIRST_PAUSE_NANOS = 50_000, LONGEST_PAUSE_NANOS = 10_000_000;

    private Await() {}

    /** {@code d} times {@code -Dmp4j.test.timeScale} (default 1). */
    public static Duration scaled(Duration d) {
        double scale = Double.parseDouble(System.getProperty("mp4j.test.timeScale", "1"));
        if (!(scale > 0)) throw new IllegalArgumentException("mp4j.test.timeScale must be positive: " + scale);
        return Duration.ofNanos((long) (d.toNanos() * scale));
    }

    /** Waits until {@code condition} holds, at most {@link #DEFAULT}; fails naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, DEFAULT);
    }

    /** Waits until {@code condition} holds, at most {@code deadline}; fails naming {@code what}. */
    public static void until(String what, BooleanSupplier condition, Duration deadline) {
        until(what, condition::getAsBoolean, ok -> ok, deadline);
    }

    /**
     * Waits until {@code accept} accepts the state {@code state} reads, at most {@link #DEFAULT}, and returns
     * that state; fails naming {@code what} and the last state read.
     */
    public static <T> T until(String what, Supplier<T> state, Predicate<? super T> accept) {
        return until(what, state, accept, DEFAULT);
    }

    /** As {@link #until(String, Supplier, Predicate)}, at most {@code deadline}. */
    public static <T> T until(String what, Supplier<T> state, Predicate<? super T> accept, Duration deadline) {
        return until(what, state, accept, deadline, Duration.ofNanos(LONGEST_PAUSE_NANOS));
    }

    /**
     * As {@link #until(String, Supplier, Predicate, Duration)}, with pauses of at most {@code longestPause}: for
     * state that is costly to read (a scan of every process).
     */
    public static <T> T until(String what, Supplier<T> state, Predicate<? super T> accept, Duration deadline, Duration longestPause) {
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        long longest = Math.max(FIRST_PAUSE_NANOS, longestPause.toNanos());
        T last;
        RuntimeException lastFailure = null;
        while (true) {
            try {
                last = state.get();
                lastFailure = null;
                if (accept.test(last)) return last;
            } catch (RuntimeException e) { // state that cannot be read yet (a file not there): keep waiting
                last = null;
                lastFailure = e;
            }
            long waited = System.nanoTime() - start;
            if (waited >= deadline.toNanos()) {
                AssertionFailedError e = new AssertionFailedError("waited " + seconds(waited) + " for " + what
                        + "; last state: " + (lastFailure != null ? "unreadable: " + lastFailure : describe(last)));
                if (lastFailure != null) e.addSuppressed(lastFailure);
                throw e;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionFailedError("interrupted after " + seconds(waited) + " while waiting for " + what
                        + "; last state: " + describe(last));
            }
            LockSupport.parkNanos(Math.min(pause, deadline.toNanos() - waited));
            pause = Math.min(longest, pause * 2);
        }
    }

    /** Waits for {@code thread} to end, at most {@link #DEFAULT}; fails with its stack if it has not. */
    public static void ended(Thread thread) {
        ended(thread, DEFAULT);
    }

    /** Waits for {@code thread} to end, at most {@code deadline}; fails with its stack if it has not. */
    public static void ended(Thread thread, Duration deadline) {
        try {
            if (thread.join(deadline)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while waiting for " + thread + " to end");
        }
        AssertionFailedError e = new AssertionFailedError(thread + " still running after " + seconds(deadline.toNanos())
                + " (state " + thread.getState() + "); its stack is this error's cause");
        Throwable where = new Throwable("stack of " + thread.getName());
        where.setStackTrace(thread.getStackTrace());
        e.initCause(where);
        throw e;
    }

    /**
     * The value of {@code future}, waiting at most {@link #DEFAULT}; a failure of the computation is rethrown as
     * the {@link ExecutionException} it came in.
     */
    public static <T> T value(Future<T> future) throws ExecutionException {
        return value(future, DEFAULT);
    }

    /** As {@link #value(Future)}, at most {@code deadline}. */
    public static <T> T value(Future<T> future, Duration deadline) throws ExecutionException {
        try {
            return future.get(deadline.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionFailedError("no result within " + seconds(deadline.toNanos()) + " from " + future);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while waiting for " + future);
        }
    }

    private static String describe(Object state) {
        String s = String.valueOf(state);
        return s.length() > 2000 ? s.substring(0, 2000) + "... (" + s.length() + " chars)" : s;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
