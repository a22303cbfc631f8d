package io.mp4j;

import io.mp4j.core.pool.Batch;
import io.mp4j.function.Fn;
import io.mp4j.function.Fn2;
import io.mp4j.spi.Job;
import io.mp4j.spi.PoolBackend;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link ExecutorService} whose tasks run in worker processes (Python's
 * {@code concurrent.futures.ProcessPoolExecutor}), on the same machinery as {@link Pool}.
 *
 * <pre>{@code
 * try (ProcessPoolExecutor ex = Multiprocessing.getContext().processPoolExecutor(2)) {
 *     CompletableFuture<Integer> f = ex.submit(() -> 6 * 7);      // a serializable Callable (io.mp4j.function.Call)
 *     for (int sq : ex.map(Squares::square, List.of(1, 2, 3), Duration.ofSeconds(2), 1)) System.out.println(sq);
 * }
 * }</pre>
 *
 * <p>Tasks must be serializable lambdas or method references ({@code io.mp4j.function.Call}, or a
 * {@code Runnable}/{@code Callable} lambda cast to {@code Serializable}); anything else is refused at
 * {@code submit} with an {@link IllegalArgumentException}. Futures are {@link CompletableFuture}s:
 * a task's exception completes them exceptionally (same class and message as in the worker, with a
 * {@link RemoteTraceback} cause). Unlike Python's executor, a worker that dies fails only its task
 * ({@link WorkerDiedException}) and is replaced: the executor never becomes "broken" because of it.
 * Cancelling a running future kills and replaces its worker. Dependent stages of a returned future run on
 * the pool's reader thread unless given an executor: keep them short.
 *
 * <p>{@link #close()} (from {@code ExecutorService}) shuts down and waits for every task, as the JDK's
 * executors do; {@link #shutdownNow()} kills the workers.
 */
public final class ProcessPoolExecutor implements ExecutorService {
    private final PoolBackend backend;
    private final Pool pool;
    private final JvmKeeper keeper = new JvmKeeper();

    private ProcessPoolExecutor(PoolBackend backend, Context context) {
        this.backend = backend;
        this.pool = new Pool(backend, context);
    }

    /**
     * A builder for an executor of the default context (or {@code context(ctx)}'s).
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /** Python's {@code ProcessPoolExecutor(max_workers, mp_context, initializer, initargs, max_tasks_per_child)}. */
    public static final class Builder extends PoolOptions<Builder> {
        Builder() {}

        /**
         * The number of workers (default: the number of processors this JVM may use).
         *
         * @param n the number of workers, at least 1
         * @return this builder
         */
        public Builder maxWorkers(int n) { return workers("maxWorkers", n); }

        /** {@return the executor; its workers start with the first tasks that find none idle} */
        public ProcessPoolExecutor build() { return new ProcessPoolExecutor(open(true), localContext()); }
    }

    /** A future whose {@code cancel} reaches the pool. */
    private static final class TaskFuture<T> extends CompletableFuture<T> {
        private final PoolBackend backend;
        volatile Job job;

        TaskFuture(PoolBackend backend) { this.backend = backend; }

        @Override public boolean cancel(boolean mayInterruptIfRunning) {
            if (isDone()) return false;
            Job b = job;
            if (b == null) return super.cancel(mayInterruptIfRunning);
            backend.cancel(b, new CancellationException("cancelled"));
            return isCancelled();
        }

        @Override public <U> CompletableFuture<U> newIncompleteFuture() { return new CompletableFuture<>(); }

        // as AsyncResult: before blocking, the caller reads a tiny task's result itself where the pool lets it
        @Override public T get() throws InterruptedException, ExecutionException {
            if (!isDone()) backend.helpUntil(this::isDone, Long.MAX_VALUE);
            return super.get();
        }

        @Override public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            long nanos = unit.toNanos(timeout), end = System.nanoTime() + nanos;
            if (!isDone()) backend.helpUntil(this::isDone, nanos);
            return super.get(end - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    // ------------------------------------------------------------------ submitting

    @Override public <T> CompletableFuture<T> submit(Callable<T> task) { return submitFn(serializable(task), new Object[0]); }

    /**
     * Python's {@code submit(fn, arg)}.
     *
     * @param <A> the argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param arg its argument, encoded here
     * @return its result to come; {@code cancel} kills and replaces a worker running it
     * @throws IllegalStateException if the executor was shut down
     */
    public <A, R> CompletableFuture<R> submit(Fn<A, R> fn, A arg) { return submitFn(fn, new Object[]{arg}); }

    /**
     * Python's {@code submit(fn, a, b)}.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its first argument
     * @param b its second argument
     * @return its result to come
     */
    public <A, B, R> CompletableFuture<R> submit(Fn2<A, B, R> fn, A a, B b) { return submitFn(fn, new Object[]{a, b}); }

    @Override public CompletableFuture<?> submit(Runnable task) { return submitFn(serializable(task), new Object[0]); }

    @Override public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return submitFn(serializable(task), new Object[0]).thenApply(v -> result);
    }

    @Override public void execute(Runnable command) { submit(command); }

    private <T> CompletableFuture<T> submitFn(Serializable fn, Object[] args) {
        backend.checkAccepting();
        TaskFuture<T> f = new TaskFuture<>(backend);
        Sinks.Single<T> sink = new Sinks.Single<>(f, null, null, Runnable::run);
        Batch b = pool.encodeOne(fn, args, sink);
        f.job = b;
        keeper.taskStarted();
        f.whenComplete((v, e) -> keeper.taskEnded());
        try {
            backend.submit(b);
        } catch (RuntimeException e) {
            f.cancel(false);
            throw e;
        }
        return f;
    }

    private static Serializable serializable(Object task) {
        if (task == null) throw new NullPointerException("task");
        if (!(task instanceof Serializable s)) {
            throw new IllegalArgumentException("task " + task.getClass().getName() + " cannot be sent to a worker process:"
                    + " use a serializable lambda or method reference (io.mp4j.function.Call, or cast to Serializable)");
        }
        return s;
    }

    @Override public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> fs = new ArrayList<>();
        for (Callable<T> t : tasks) fs.add(submit(t));
        for (Future<T> f : fs) {
            try {
                f.get();
            } catch (ExecutionException | CancellationException ignored) {
                // the future carries it
            }
        }
        return fs;
    }

    @Override public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> fs = new ArrayList<>();
        for (Callable<T> t : tasks) fs.add(submit(t));
        for (Future<T> f : fs) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException ignored) {
                // the future carries it
            } catch (TimeoutException e) {
                for (Future<T> g : fs) g.cancel(true);
                break;
            }
        }
        return fs;
    }

    @Override public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result of one task that succeeded; the others are cancelled (running ones' workers replaced). */
    @Override public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("no tasks");
        List<CompletableFuture<T>> fs = new ArrayList<>();
        CompletableFuture<T> first = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        for (Callable<T> t : tasks) {
            CompletableFuture<T> f = submit(t);
            fs.add(f);
            f.whenComplete((v, e) -> {
                if (e == null) first.complete(v);
                else if (failures.incrementAndGet() == tasks.size()) first.completeExceptionally(e);
            });
        }
        try {
            return timeout == Long.MAX_VALUE ? first.get() : first.get(timeout, unit);
        } finally {
            for (CompletableFuture<T> f : fs) f.cancel(true);
        }
    }

    /**
     * Python's {@code map(fn, items, timeout=, chunksize=)}: results in item order; the iterator throws a
     * {@link TimeoutException} (wrapped in a {@code CompletionException} by {@code next()}) when the next
     * result is not there {@code timeout} after this call, and then cancels what is left.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param timeout from now, or null for none
     * @param chunksize items per task, at least 1
     * @return an iterator over the results, in item order
     * @throws IllegalArgumentException for a chunksize below 1
     */
    public <T, R> ResultIterator<R> map(Fn<T, R> fn, Iterable<? extends T> items, Duration timeout, int chunksize) {
        if (chunksize < 1) throw new IllegalArgumentException("chunksize must be at least 1: chunksize=" + chunksize);
        return pool.iterate(fn, items, chunksize, true, Progress.NONE, timeout == null ? -1 : Math.max(0, timeout.toNanos()));
    }

    /**
     * Python 3.14's {@code map(fn, items, timeout=, chunksize=, buffersize=)}: results in item order, with at most
     * {@code buffersize} tasks submitted and not yet returned by the iterator; the items are taken from
     * {@code items} only as results are taken, so that mapping over an endless iterator uses bounded memory. Each
     * task is one item ({@code chunksize} must be 1). The iterator throws as {@link #map(Fn, Iterable, Duration, int)}'s
     * does; a failed item, or the timeout (counted from this call), ends it and cancels the tasks in flight.
     *
     * @param <T>        the items' type
     * @param <R>        the results' type
     * @param fn         the function, serializable
     * @param items      the arguments, one call each, taken as results are taken
     * @param timeout    {@code null}: without limit; zero or negative: a result not there at once times out
     * @param chunksize  items per task: 1
     * @param buffersize the most tasks in flight, at least 1
     * @return an iterator over the results, in item order
     * @throws IllegalArgumentException for a {@code buffersize} below 1, or a {@code chunksize} other than 1
     */
    public <T, R> ResultIterator<R> map(Fn<T, R> fn, Iterable<? extends T> items, Duration timeout, int chunksize, int buffersize) {
        if (buffersize < 1) throw new IllegalArgumentException("buffersize must be at least 1: buffersize=" + buffersize);
        if (chunksize != 1) {
            throw new IllegalArgumentException("chunksize must be 1 with a buffersize (each buffered task is one item): chunksize=" + chunksize);
        }
        java.util.Objects.requireNonNull(fn, "fn");
        return new BufferedResults<>(items.iterator(), item -> submit(fn, item), buffersize,
                timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos()));
    }

    /**
     * {@code map} without timeout, chunksize 1.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @return an iterator over the results, in item order
     */
    public <T, R> ResultIterator<R> map(Fn<T, R> fn, Iterable<? extends T> items) { return map(fn, items, null, 1); }

    // ------------------------------------------------------------------ shutting down

    @Override public void shutdown() { backend.close(); }

    /**
     * Python's {@code shutdown(wait, cancel_futures)}: no new tasks; with {@code cancelFutures}, tasks not
     * started are cancelled; with {@code wait}, returns when every worker has exited.
     *
     * @param wait whether to wait for the workers to exit
     * @param cancelFutures whether to cancel the tasks not started
     * @throws InterruptedException if interrupted while waiting
     */
    public void shutdown(boolean wait, boolean cancelFutures) throws InterruptedException {
        if (cancelFutures) backend.cancelQueued();
        backend.close();
        if (wait) backend.awaitFinished(Long.MAX_VALUE, true);
    }

    /** Kills the workers now and cancels every unfinished future; returns an empty list (tasks are not Runnables here). */
    @Override public List<Runnable> shutdownNow() {
        backend.terminate();
        return List.of();
    }

    @Override public boolean isShutdown() { return !backend.isRunning(); }

    @Override public boolean isTerminated() { return backend.isFinished(); }

    @Override public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return backend.awaitFinished(unit.toNanos(timeout), false);
    }

    /**
     * Waits until every worker has started and connected, as {@code ThreadPoolExecutor.prestartAllCoreThreads}
     * makes its threads ready (workers are started when the executor is made; this only waits for them).
     *
     * @return the number of workers
     * @throws InterruptedException if interrupted while waiting
     */
    public int prestartAllWorkers() throws InterruptedException {
        backend.awaitWorkers(Long.MAX_VALUE);
        return backend.processes();
    }

    /** {@return the counters: tasks completed and failed, workers started and replaced, workers now} */
    public PoolStats stats() { return backend.stats(); }

    /** {@return the pids of the workers now running (for THREAD workers, this JVM's pid for each)} */
    public List<Long> workerPids() { return backend.workerPids(); }

    @Override public String toString() { return "<ProcessPoolExecutor " + backend.kind() + " " + backend.stats() + ">"; }
}
