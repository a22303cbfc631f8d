package io.mp4j;

import io.mp4j.spi.Job;
import io.mp4j.spi.PoolBackend;
import io.mp4j.spi.ResultSink;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** Where a batch's results go: one future, a list, or an iterator. */
final class Sinks {
    private Sinks() {}

    /** Created only when a callback throws: no logging set-up on the pool's path otherwise. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Sinks.class);
    }

    static void runCallback(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            Log.LOG.warn("a pool {} threw; ignored", what, e);
        }
    }

    /** One call: completes a future, after running the callback (on the pool's callback thread) if there is one. */
    static final class Single<R> implements ResultSink {
        final CompletableFuture<R> future;
        private final Consumer<? super R> callback;
        private final Consumer<? super Throwable> errorCallback;
        private final Executor callbacks;

        Single(CompletableFuture<R> future, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback, Executor callbacks) {
            this.future = future;
            this.callback = callback;
            this.errorCallback = errorCallback;
            this.callbacks = callbacks;
        }

        @SuppressWarnings("unchecked")
        @Override public void value(int index, Object value) {
            if (callback == null) {
                future.complete((R) value);
                return;
            }
            callbacks.execute(() -> {
                runCallback(() -> callback.accept((R) value), "callback");
                future.complete((R) value);
            });
        }

        @Override public void failed(int index, Throwable error) {
            if (errorCallback == null) {
                future.completeExceptionally(error);
                return;
            }
            callbacks.execute(() -> {
                runCallback(() -> errorCallback.accept(error), "error callback");
                future.completeExceptionally(error);
            });
        }

        @Override public void cancelled(Throwable reason) {
            if (errorCallback == null || reason instanceof CancellationException) future.completeExceptionally(reason);
            else failed(0, reason);
        }
    }

    /**
     * All items of a map: a list in item order, or, once every item is in, the failure of the first item (by
     * position) that failed. A failing item stops nothing: the others run to the end, as in Python, so that
     * {@code close()} and {@code join()} still see every task in flight.
     */
    static final class Listing<R> implements ResultSink {
        final CompletableFuture<List<R>> future = new CompletableFuture<>();
        private final Object[] results;
        private final AtomicInteger left;
        private final ProgressBar bar;
        private final Consumer<? super List<R>> callback;
        private final Consumer<? super Throwable> errorCallback;
        private final Executor callbacks;
        private int failedAt = Integer.MAX_VALUE; // guarded by this
        private Throwable failure;                 // guarded by this

        Listing(int size, ProgressBar bar, Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback, Executor callbacks) {
            this.results = new Object[size];
            this.left = new AtomicInteger(size);
            this.bar = bar;
            this.callback = callback;
            this.errorCallback = errorCallback;
            this.callbacks = callbacks;
            if (size == 0) finish();
        }

        @Override public void value(int index, Object value) {
            results[index] = value;
            if (bar != null) bar.step();
            if (left.decrementAndGet() == 0) finish();
        }

        /** A frame's values at once: one update of the shared count instead of one per item. */
        @Override public void values(int from, Object[] values, int n) {
            System.arraycopy(values, 0, results, from, n);
            if (bar != null) bar.stepBy(n);
            if (left.addAndGet(-n) == 0) finish();
        }

        @Override public void failed(int index, Throwable error) {
            synchronized (this) {
                if (index < failedAt) {
                    failedAt = index;
                    failure = error;
                }
            }
            if (bar != null) bar.step();
            if (left.decrementAndGet() == 0) finish();
        }

        @SuppressWarnings("unchecked")
        private void finish() {
            if (bar != null) bar.close();
            Throwable error;
            synchronized (this) {
                error = failure;
            }
            if (error != null) {
                fail(error);
                return;
            }
            List<R> list = (List<R>) Arrays.asList(results);
            if (callback == null) future.complete(list);
            else callbacks.execute(() -> {
                runCallback(() -> callback.accept(list), "callback");
                future.complete(list);
            });
        }

        private void fail(Throwable error) {
            if (errorCallback == null) future.completeExceptionally(error);
            else callbacks.execute(() -> {
                runCallback(() -> errorCallback.accept(error), "error callback");
                future.completeExceptionally(error);
            });
        }

        @Override public void cancelled(Throwable reason) {
            if (left.getAndSet(-1) <= 0) return;
            if (bar != null) bar.close();
            future.completeExceptionally(reason);
        }
    }

    /** imap, imap_unordered, executor map: results handed out one at a time, in order or as they come. */
    static final class Iter<R> implements ResultSink, ResultIterator<R> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();
        private final boolean ordered;
        private final int size;
        private final Object[] values;     // ordered: by index
        private final Throwable[] errors;  // ordered: by index
        private final boolean[] done;      // ordered
        private final ArrayDeque<Object[]> queue = new ArrayDeque<>(); // unordered: {value, error}
        private final ProgressBar bar;
        private final long deadline;       // executor map: System.nanoTime() deadline, or Long.MAX_VALUE
        private final boolean hasDeadline;
        private int returned;
        private int received;
        private Throwable cancelledBy;
        private volatile List<? extends Job> jobs = List.of();
        private volatile PoolBackend backend;

        Iter(int size, boolean ordered, ProgressBar bar, long timeoutNanos) {
            this.size = size;
            this.ordered = ordered;
            this.values = ordered ? new Object[size] : null;
            this.errors = ordered ? new Throwable[size] : null;
            this.done = ordered ? new boolean[size] : null;
            this.bar = bar;
            this.hasDeadline = timeoutNanos >= 0;
            this.deadline = hasDeadline ? System.nanoTime() + timeoutNanos : 0;
            if (size == 0 && bar != null) bar.close();
        }

        /** The jobs whose results this iterator hands out, and where to cancel them. */
        void bind(PoolBackend backend, List<? extends Job> jobs) {
            this.backend = backend;
            this.jobs = List.copyOf(jobs);
        }

        @Override public void value(int index, Object value) { arrive(index, value, null); }

        @Override public void failed(int index, Throwable error) { arrive(index, null, error); }

        private void arrive(int index, Object value, Throwable error) {
            lock.lock();
            try {
                if (ordered) {
                    values[index] = value;
                    errors[index] = error;
                    done[index] = true;
                } else {
                    queue.addLast(new Object[]{value, error});
                }
                if (++received == size && bar != null) bar.close();
                else if (bar != null) bar.step();
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override public void cancelled(Throwable reason) {
            lock.lock();
            try {
                if (cancelledBy == null) cancelledBy = reason;
                if (bar != null) bar.close();
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override public boolean hasNext() {
            lock.lock();
            try {
                return returned < size;
            } finally {
                lock.unlock();
            }
        }

        @Override public R next() {
            try {
                return hasDeadline ? next(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) : take(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            } catch (TimeoutException e) {
                throw new CompletionException(e);
            }
        }

        @Override public R next(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            long t = unit.toNanos(timeout);
            if (hasDeadline) t = Math.min(t, Math.max(0, deadline - System.nanoTime()));
            return take(t);
        }

        @SuppressWarnings("unchecked")
        private R take(long nanos) throws InterruptedException, ExecutionException, TimeoutException {
            long end = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
            lock.lock();
            try {
                if (returned >= size) throw new NoSuchElementException("no more results: all " + size + " were returned");
                while (ordered ? !done[returned] : queue.isEmpty()) {
                    if (cancelledBy != null) {
                        if (cancelledBy instanceof CancellationException c) throw c;
                        throw new ExecutionException(cancelledBy);
                    }
                    if (end == Long.MAX_VALUE) arrived.await();
                    else {
                        long left = end - System.nanoTime();
                        if (left <= 0) {
                            if (hasDeadline) {
                                lock.unlock();
                                try {
                                    cancel();
                                } finally {
                                    lock.lock();
                                }
                            }
                            throw new TimeoutException("the next result (item " + returned + ") is not ready"
                                    + (hasDeadline ? " before the map's timeout" : " within " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms"));
                        }
                        arrived.awaitNanos(left);
                    }
                }
                Object value;
                Throwable error;
                if (ordered) {
                    value = values[returned];
                    error = errors[returned];
                    values[returned] = null;
                } else {
                    Object[] o = queue.pollFirst();
                    value = o[0];
                    error = (Throwable) o[1];
                }
                returned++;
                if (error != null) throw new ExecutionException(error);
                return (R) value;
            } finally {
                lock.unlock();
            }
        }

        @Override public void cancel() {
            for (Job j : jobs) backend.cancel(j, new CancellationException("the result iterator was cancelled"));
        }
    }
}
