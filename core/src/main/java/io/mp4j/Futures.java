package io.mp4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Python's {@code concurrent.futures.wait} and {@code as_completed}, over any {@link Future}: the executor's
 * {@link CompletableFuture}s, the pool's {@link AsyncResult}s, and any other {@code CompletableFuture} or
 * {@code CompletionStage} that is also a {@code Future}. Those are watched through completion callbacks; a
 * {@code Future} of another kind is polled every millisecond while a call waits.
 * <pre>{@code
 * List<CompletableFuture<Long>> fs = List.of(ex.submit(Work::slow, 1L), ex.submit(Work::slow, 2L));
 * Futures.DoneAndNotDone<CompletableFuture<Long>> r = Futures.wait(fs, Duration.ofSeconds(5), Futures.ReturnWhen.FIRST_COMPLETED);
 * for (CompletableFuture<Long> f : Futures.asCompleted(fs, null)) System.out.println(f.join());
 * }</pre>
 *
 * <p>Timeouts: {@code null} waits without limit; zero or negative does not wait. Both methods throw
 * {@link InterruptedException} (wrapped in a {@link CompletionException} by the iterator's {@code next()}) when the
 * thread is interrupted while waiting. What happens-before a future's completion happens-before the return of the
 * call that reports it done.
 */
public final class Futures {
    private Futures() {}

    /** Python's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and {@code ALL_COMPLETED}. */
    public enum ReturnWhen {
        /** Return when any future finishes or is cancelled. */
        FIRST_COMPLETED,
        /** Return when any future finishes by an exception (a cancelled one does not count); else when all are done. */
        FIRST_EXCEPTION,
        /** Return when every future has finished or been cancelled. */
        ALL_COMPLETED
    }

    /**
     * Python's {@code DoneAndNotDoneFutures}: the futures that were done when {@link #wait} returned, and the others,
     * each in the order given (duplicates once).
     *
     * @param <F>     the futures' type
     * @param done    the futures done
     * @param notDone the others
     */
    public record DoneAndNotDone<F>(Set<F> done, Set<F> notDone) {
        /**
         * The two sets, made unmodifiable.
         *
         * @param done    the futures done
         * @param notDone the others
         */
        public DoneAndNotDone {
            done = Collections.unmodifiableSet(done);
            notDone = Collections.unmodifiableSet(notDone);
        }
    }

    /**
     * {@link #wait(Collection, Duration, ReturnWhen)} without a timeout, until all are done.
     *
     * @param <F>     the futures' type
     * @param futures the futures to wait for
     * @return every future, done
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(Collection<F> futures) throws InterruptedException {
        return wait(futures, null, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Python's {@code concurrent.futures.wait(fs, timeout, return_when)}: waits until {@code returnWhen} holds or the
     * timeout passes, then returns which futures are done. A timeout is not an error: the undone ones are in
     * {@code notDone}.
     *
     * @param <F>        the futures' type
     * @param futures    the futures to wait for
     * @param timeout    {@code null}: without limit; zero or negative: does not wait
     * @param returnWhen when to return
     * @return the futures done and the others
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(Collection<F> futures, Duration timeout, ReturnWhen returnWhen)
            throws InterruptedException {
        Objects.requireNonNull(returnWhen, "returnWhen");
        Set<F> all = distinct(futures);
        Waiter waiter = new Waiter(all);
        long deadline = deadline(timeout);
        while (true) {
            Set<F> done = new LinkedHashSet<>(), notDone = new LinkedHashSet<>();
            for (F f : all) (f.isDone() ? done : notDone).add(f);
            boolean met = switch (returnWhen) {
                case FIRST_COMPLETED -> !done.isEmpty() || notDone.isEmpty();
                case FIRST_EXCEPTION -> notDone.isEmpty() || done.stream().anyMatch(f -> f.state() == Future.State.FAILED);
                case ALL_COMPLETED -> notDone.isEmpty();
            };
            if (met || !waiter.awaitChange(deadline)) return new DoneAndNotDone<>(done, notDone);
        }
    }

    /**
     * Python's {@code concurrent.futures.as_completed(fs, timeout)}: the futures as they complete (finish or are
     * cancelled), those already done first; each once. {@code next()} waits for the next one and throws a
     * {@link CompletionException} whose cause is a {@link TimeoutException} when it is not there {@code timeout}
     * after this call (Python's {@code TimeoutError}). {@code hasNext()} does not wait: it says whether futures
     * are left.
     *
     * @param <F>     the futures' type
     * @param futures the futures to yield
     * @param timeout {@code null}: without limit; zero or negative: only those done now come before the timeout
     * @return the futures, as they complete
     */
    public static <F extends Future<?>> Completions<F> asCompleted(Collection<F> futures, Duration timeout) {
        return new Completions<>(distinct(futures), deadline(timeout));
    }

    /**
     * The iterator of {@link #asCompleted}; also {@code Iterable} (once), for a for-each loop.
     *
     * @param <F> the futures' type
     */
    public static final class Completions<F extends Future<?>> implements Iterator<F>, Iterable<F> {
        private final List<F> pending;
        private final Waiter waiter;
        private final long deadline;

        private Completions(Set<F> futures, long deadline) {
            this.pending = new ArrayList<>(futures);
            this.waiter = new Waiter(futures);
            this.deadline = deadline;
        }

        @Override public boolean hasNext() { return !pending.isEmpty(); }

        @Override
        public F next() {
            if (pending.isEmpty()) throw new NoSuchElementException("every future was returned");
            try {
                while (true) {
                    for (Iterator<F> it = pending.iterator(); it.hasNext(); ) {
                        F f = it.next();
                        if (f.isDone()) {
                            it.remove();
                            return f;
                        }
                    }
                    if (!waiter.awaitChange(deadline)) {
                        throw new CompletionException(new TimeoutException(pending.size() + " (of " + waiter.count
                                + ") futures unfinished at the timeout"));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }

        @Override public Iterator<F> iterator() { return this; }
    }

    private static <F> Set<F> distinct(Collection<F> futures) {
        Objects.requireNonNull(futures, "futures");
        Set<F> all = new LinkedHashSet<>();
        for (F f : futures) all.add(Objects.requireNonNull(f, "a future must not be null"));
        return all;
    }

    /** The deadline on {@link System#nanoTime}'s clock; {@link Long#MAX_VALUE}: none. */
    private static long deadline(Duration timeout) {
        if (timeout == null) return Long.MAX_VALUE;
        long now = System.nanoTime();
        return timeout.isNegative() || timeout.isZero() ? now : now + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    }

    /**
     * Wakes a waiting thread when any of the futures completes: a callback on each one that is a
     * {@link CompletionStage} (or an {@link AsyncResult}), and a 1 ms poll while others are not done.
     */
    private static final class Waiter {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final boolean polls;
        final int count;
        private long completions; // guarded by lock
        private long seen;        // guarded by lock: completions when the caller last looked

        Waiter(Collection<? extends Future<?>> futures) {
            boolean p = false;
            count = futures.size();
            for (Future<?> f : futures) {
                CompletableFuture<?> c = watchable(f);
                if (c == null) p = true;
                else if (!c.isDone()) c.whenComplete((v, e) -> signal());
            }
            polls = p;
        }

        private static CompletableFuture<?> watchable(Future<?> f) {
            if (f instanceof AsyncResult<?> r) return r.future();
            if (f instanceof CompletableFuture<?> c) return c;
            if (f instanceof CompletionStage<?> s) {
                try {
                    return s.toCompletableFuture();
                } catch (UnsupportedOperationException e) {
                    return null;
                }
            }
            return null;
        }

        private void signal() {
            lock.lock();
            try {
                completions++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits for a completion after the caller looked (a completion since the previous call counts), at most until
         * {@code deadline}; false when the deadline passed first. With polled futures, returns after 1 ms at most.
         */
        boolean awaitChange(long deadline) throws InterruptedException {
            lock.lock();
            try {
                while (completions == seen) {
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) return false;
                    long slice = polls ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)) : left;
                    if (slice == Long.MAX_VALUE) changed.await();
                    else changed.awaitNanos(slice);
                    if (polls) break; // look at the polled futures again
                }
                seen = completions;
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
