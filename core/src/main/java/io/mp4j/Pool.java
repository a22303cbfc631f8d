package io.mp4j;

import io.mp4j.core.pool.Batch;
import io.mp4j.core.pool.FunctionTable;
import io.mp4j.function.Call;
import io.mp4j.function.Fn;
import io.mp4j.function.Fn2;
import io.mp4j.spi.PoolBackend;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A pool of worker processes (Python's {@code multiprocessing.Pool}), made by a context, so its workers
 * are started with the context's start method (JVMs for spawn, fork and forkserver; threads for thread).
 *
 * <pre>{@code
 * try (Pool pool = Multiprocessing.getContext().pool(4)) {
 *     List<Integer> squares = pool.map(Squares::square, List.of(1, 2, 3));   // [1, 4, 9]
 *     AsyncResult<Integer> r = pool.applyAsync(Squares::square, 9, v -> System.out.println("result is " + v), null);
 *     r.get();
 * }
 * }</pre>
 *
 * <p><b>Functions and values.</b> A function is a serializable lambda or method reference ({@link Fn},
 * {@link Fn2}, {@link Call}); it is sent to each worker once, and each task names it. Arguments are
 * encoded in the caller (what cannot travel fails there, naming the item) against the function's
 * declared parameter types; results are decoded against its declared return type.
 *
 * <p><b>Failures never hang the pool.</b> An exception thrown by a task comes back as the cause of an
 * {@link ExecutionException}: same class and message, the worker's stack frames, and a
 * {@link RemoteTraceback} with the worker's whole trace as its cause. A result that cannot be encoded
 * fails its task with a {@code CodecException}. A worker that dies (killed, {@code System.exit}, out of
 * memory) fails only the task it was running, with a {@link WorkerDiedException} naming the worker, its
 * exit code or signal and the task; it is replaced and the pool goes on. With a task timeout
 * ({@link Builder#taskTimeout}), a task over its time is interrupted and fails with a
 * {@link java.util.concurrent.TimeoutException}; if it ignores the interrupt for half a second, its
 * worker is ended and replaced. Cancelling a running task kills and replaces its worker.
 *
 * <p><b>maxTasksPerChild counts items.</b> With {@code maxTasksPerChild = n}, a worker runs at most n items
 * (not chunks: a chunk is split so that no worker exceeds n), then exits and is replaced. The replacement
 * is started as soon as the old worker has been sent its last item, and runs the initializer again.
 *
 * <p><b>Life cycle.</b> {@link #close()} (also what try-with-resources calls) accepts no new work and lets
 * the workers finish everything queued, then exit; {@link #join()} waits for that. {@link #terminate()}
 * kills the workers at once; unfinished results are cancelled. Workers are daemon processes: they end
 * with the program, and also when the pool's JVM dies, even by SIGKILL (each watches its standard input
 * and its pipe from the pool). Callbacks run on one pool thread, in completion order, before the result is ready.
 *
 * <p>Thread-safe: any thread may submit work. What a task's worker wrote is visible to the caller once
 * its result is (the result is a copy; nothing else is shared unless passed as a shared object).
 */
public final class Pool implements AutoCloseable {
    private final PoolBackend backend;
    private final Context context;
    private final PoolSubmitter submitter;

    Pool(PoolBackend backend, Context context) {
        this.backend = backend;
        this.context = context;
        // on another back end (a cluster's) there is no local worker to check for: its nodes name what they cannot load
        this.submitter = new PoolSubmitter(backend, context == null ? new FunctionTable() : FunctionTable.forWorkersOf(context.startMethod()));
    }

    /**
     * A builder for a pool of the default context (or {@link Builder#context}'s).
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /** Python's {@code Pool(processes, initializer, initargs, maxtasksperchild, context)}. */
    public static final class Builder extends PoolOptions<Builder> {
        Builder() {}

        /**
         * The number of workers (default: the number of processors this JVM may use).
         *
         * @param processes the number of workers, at least 1
         * @return this builder
         */
        public Builder processes(int processes) { return workers("processes", processes); }

        /** {@return the pool, made, its workers starting (without waiting for them to be ready)} */
        public Pool build() { return new Pool(open(false), localContext()); }
    }

    // ------------------------------------------------------------------ apply

    /**
     * Runs {@code fn()} in a worker and returns its result (Python's {@code apply(f)}).
     *
     * @param <R> the result's type
     * @param fn the function, serializable
     * @return its result, decoded against its declared return type
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the task's exception (or a {@link WorkerDiedException}) as its cause
     */
    public <R> R apply(Call<R> fn) throws InterruptedException, ExecutionException { return applyAsync(fn).get(); }

    /**
     * Runs {@code fn(a)} in a worker and returns its result (Python's {@code apply(f, (a,))}).
     *
     * @param <A> the argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its argument, encoded here
     * @return its result
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the task's exception (or a {@link WorkerDiedException}) as its cause
     */
    public <A, R> R apply(Fn<A, R> fn, A a) throws InterruptedException, ExecutionException { return applyAsync(fn, a).get(); }

    /**
     * Runs {@code fn(a, b)} in a worker and returns its result.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its first argument
     * @param b its second argument
     * @return its result
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the task's exception (or a {@link WorkerDiedException}) as its cause
     */
    public <A, B, R> R apply(Fn2<A, B, R> fn, A a, B b) throws InterruptedException, ExecutionException { return applyAsync(fn, a, b).get(); }

    /**
     * Runs {@code fn()} in a worker without waiting (Python's {@code apply_async(f)}).
     *
     * @param <R> the result's type
     * @param fn the function, serializable
     * @return the result to come
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <R> AsyncResult<R> applyAsync(Call<R> fn) { return applyAsync(fn, null, null); }

    /**
     * Python's {@code apply_async(f, callback=..., error_callback=...)}; either callback may be null.
     *
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param callback receives the result, on the pool's callback thread, or null
     * @param errorCallback receives the task's exception, or null
     * @return the result to come
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <R> AsyncResult<R> applyAsync(Call<R> fn, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.submitOne(fn, new Object[0], callback, errorCallback);
    }

    /**
     * Runs {@code fn(a)} in a worker without waiting (Python's {@code apply_async(f, (a,))}).
     *
     * @param <A> the argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its argument, encoded here
     * @return the result to come
     * @throws IllegalStateException if the pool was closed or terminated
     * @throws IllegalArgumentException if the argument cannot be sent to a worker (nothing is submitted)
     */
    public <A, R> AsyncResult<R> applyAsync(Fn<A, R> fn, A a) { return applyAsync(fn, a, null, null); }

    /**
     * Python's {@code apply_async(f, (a,), callback=..., error_callback=...)}; either callback may be null.
     *
     * @param <A> the argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its argument, encoded here
     * @param callback receives the result, on the pool's callback thread, or null
     * @param errorCallback receives the task's exception, or null
     * @return the result to come
     * @throws IllegalStateException if the pool was closed or terminated
     * @throws IllegalArgumentException if the argument cannot be sent to a worker (nothing is submitted)
     */
    public <A, R> AsyncResult<R> applyAsync(Fn<A, R> fn, A a, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.submitOne(fn, new Object[]{a}, callback, errorCallback);
    }

    /**
     * Runs {@code fn(a, b)} in a worker without waiting.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its first argument
     * @param b its second argument
     * @return the result to come
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <A, B, R> AsyncResult<R> applyAsync(Fn2<A, B, R> fn, A a, B b) { return applyAsync(fn, a, b, null, null); }

    /**
     * Runs {@code fn(a, b)} in a worker without waiting, with callbacks; either may be null.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result's type
     * @param fn the function, serializable
     * @param a its first argument
     * @param b its second argument
     * @param callback receives the result, on the pool's callback thread, or null
     * @param errorCallback receives the task's exception, or null
     * @return the result to come
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <A, B, R> AsyncResult<R> applyAsync(Fn2<A, B, R> fn, A a, B b, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.submitOne(fn, new Object[]{a, b}, callback, errorCallback);
    }

    /** One call's job ({@code apply}, the executor's {@code submit}): its arguments checked and encoded here. */
    Batch encodeOne(Serializable fn, Object[] args, io.mp4j.spi.ResultSink sink) { return submitter.encodeOne(fn, args, sink); }

    /** See {@link PoolSubmitter#iterate}. */
    <R> ResultIterator<R> iterate(Serializable fn, Iterable<?> items, int chunksize, boolean ordered, Progress progress, long timeoutNanos) {
        return submitter.iterate(fn, items, chunksize, ordered, progress, timeoutNanos);
    }

    PoolBackend backend() { return backend; }

    // ------------------------------------------------------------------ map

    /**
     * Python's {@code map(f, items)} with its default chunksize.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each, encoded here
     * @return the results in item order
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the first failed item's exception as its cause
     */
    public <T, R> List<R> map(Fn<T, R> fn, Iterable<? extends T> items) throws InterruptedException, ExecutionException {
        return mapAsync(fn, items).get();
    }

    /**
     * Python's {@code map(f, items, chunksize)}: items are sent {@code chunksize} at a time (0: the default).
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task, or 0
     * @return the results in item order
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the first failed item's exception as its cause
     */
    public <T, R> List<R> map(Fn<T, R> fn, Iterable<? extends T> items, int chunksize) throws InterruptedException, ExecutionException {
        return map(fn, items, chunksize, Progress.NONE);
    }

    /**
     * {@code map} with a progress bar on standard error (chunksize 0: the default).
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task, or 0
     * @param progress the progress bar, or {@link Progress#NONE}
     * @return the results in item order
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the first failed item's exception as its cause
     */
    public <T, R> List<R> map(Fn<T, R> fn, Iterable<? extends T> items, int chunksize, Progress progress) throws InterruptedException, ExecutionException {
        List<Object[]> args = PoolSubmitter.single(items);
        return submitter.<R>submitList(fn, args, submitter.chunk(chunksize, args.size(), true), progress, null, null).get();
    }

    /**
     * Python's {@code map_async(f, items)}: {@link #map} without waiting.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @return the results to come, in item order
     */
    public <T, R> AsyncResult<List<R>> mapAsync(Fn<T, R> fn, Iterable<? extends T> items) { return mapAsync(fn, items, 0, null, null); }

    /**
     * Python's {@code map_async(f, items, chunksize)} (chunksize 0: the default).
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task, or 0
     * @return the results to come, in item order
     */
    public <T, R> AsyncResult<List<R>> mapAsync(Fn<T, R> fn, Iterable<? extends T> items, int chunksize) { return mapAsync(fn, items, chunksize, null, null); }

    /**
     * Python's {@code map_async(f, items, chunksize, callback, error_callback)} (chunksize 0: the default).
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task, or 0
     * @param callback receives the whole list, on the pool's callback thread, or null
     * @param errorCallback receives the first failure, or null
     * @return the results to come, in item order
     * @throws IllegalStateException if the pool was closed or terminated
     * @throws IllegalArgumentException for a negative chunksize, or an item that cannot be sent (nothing is submitted)
     */
    public <T, R> AsyncResult<List<R>> mapAsync(Fn<T, R> fn, Iterable<? extends T> items, int chunksize,
                                                Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        List<Object[]> args = PoolSubmitter.single(items);
        return submitter.submitList(fn, args, submitter.chunk(chunksize, args.size(), true), Progress.NONE, callback, errorCallback);
    }

    /**
     * Python's {@code starmap(f, [(a, b), ...])}: each item is a list of the arguments.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the argument lists, one call each
     * @return the results in item order
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the first failed item's exception as its cause
     */
    public <A, B, R> List<R> starmap(Fn2<A, B, R> fn, Iterable<? extends List<?>> items) throws InterruptedException, ExecutionException {
        return starmapAsync(fn, items).get();
    }

    /**
     * {@link #starmap(Fn2, Iterable)} sending {@code chunksize} items per task (0: the default).
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the argument lists, one call each
     * @param chunksize items per task, or 0
     * @return the results in item order
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the first failed item's exception as its cause
     */
    public <A, B, R> List<R> starmap(Fn2<A, B, R> fn, Iterable<? extends List<?>> items, int chunksize) throws InterruptedException, ExecutionException {
        return starmap(fn, items, chunksize, Progress.NONE);
    }

    /**
     * {@link #starmap(Fn2, Iterable, int)} with a progress bar on standard error.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the argument lists, one call each
     * @param chunksize items per task, or 0
     * @param progress the progress bar, or {@link Progress#NONE}
     * @return the results in item order
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the first failed item's exception as its cause
     */
    public <A, B, R> List<R> starmap(Fn2<A, B, R> fn, Iterable<? extends List<?>> items, int chunksize, Progress progress) throws InterruptedException, ExecutionException {
        List<Object[]> args = PoolSubmitter.tuples(items);
        return submitter.<R>submitList(fn, args, submitter.chunk(chunksize, args.size(), true), progress, null, null).get();
    }

    /**
     * Python's {@code starmap_async(f, items)}: {@link #starmap(Fn2, Iterable)} without waiting.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the argument lists, one call each
     * @return the results to come, in item order
     */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(Fn2<A, B, R> fn, Iterable<? extends List<?>> items) {
        return starmapAsync(fn, items, 0, null, null);
    }

    /**
     * Python's {@code starmap_async(f, items, chunksize, callback, error_callback)}; either callback may be null.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the argument lists, one call each
     * @param chunksize items per task, or 0
     * @param callback receives the whole list, on the pool's callback thread, or null
     * @param errorCallback receives the first failure, or null
     * @return the results to come, in item order
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(Fn2<A, B, R> fn, Iterable<? extends List<?>> items, int chunksize,
                                                      Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        List<Object[]> args = PoolSubmitter.tuples(items);
        return submitter.submitList(fn, args, submitter.chunk(chunksize, args.size(), true), Progress.NONE, callback, errorCallback);
    }

    // ------------------------------------------------------------------ imap

    /**
     * Python's {@code imap(f, items)} (chunksize 1): results in item order, each as soon as it and those before it are done.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @return an iterator over the results
     */
    public <T, R> ResultIterator<R> imap(Fn<T, R> fn, Iterable<? extends T> items) { return imap(fn, items, 1, Progress.NONE); }

    /**
     * Python's {@code imap(f, items, chunksize)}.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task, at least 1
     * @return an iterator over the results, in item order
     */
    public <T, R> ResultIterator<R> imap(Fn<T, R> fn, Iterable<? extends T> items, int chunksize) { return imap(fn, items, chunksize, Progress.NONE); }

    /**
     * {@code imap} with a progress bar on standard error.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task (0: 1)
     * @param progress the progress bar, or {@link Progress#NONE}
     * @return an iterator over the results, in item order
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <T, R> ResultIterator<R> imap(Fn<T, R> fn, Iterable<? extends T> items, int chunksize, Progress progress) {
        return submitter.iterate(fn, items, submitter.chunk(chunksize, 0, false), true, progress, -1);
    }

    /**
     * Python's {@code imap_unordered(f, items)} (chunksize 1): results in the order they finish.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @return an iterator over the results, in the order they finish
     */
    public <T, R> ResultIterator<R> imapUnordered(Fn<T, R> fn, Iterable<? extends T> items) { return imapUnordered(fn, items, 1, Progress.NONE); }

    /**
     * Python's {@code imap_unordered(f, items, chunksize)}.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task, at least 1
     * @return an iterator over the results, in the order they finish
     */
    public <T, R> ResultIterator<R> imapUnordered(Fn<T, R> fn, Iterable<? extends T> items, int chunksize) {
        return imapUnordered(fn, items, chunksize, Progress.NONE);
    }

    /**
     * {@code imapUnordered} with a progress bar on standard error.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param fn the function, serializable
     * @param items the arguments, one call each
     * @param chunksize items per task (0: 1)
     * @param progress the progress bar, or {@link Progress#NONE}
     * @return an iterator over the results, in the order they finish
     * @throws IllegalStateException if the pool was closed or terminated
     */
    public <T, R> ResultIterator<R> imapUnordered(Fn<T, R> fn, Iterable<? extends T> items, int chunksize, Progress progress) {
        return submitter.iterate(fn, items, submitter.chunk(chunksize, 0, false), false, progress, -1);
    }

    // ------------------------------------------------------------------ life cycle

    /** No new work; the workers finish what is queued, then exit (Python's {@code close()}); does not wait. */
    @Override public void close() { backend.close(); }

    /** Kills the workers now; results not yet in are cancelled (Python's {@code terminate()}). */
    public void terminate() { backend.terminate(); }

    /**
     * Waits for the workers to exit, after {@link #close()} or {@link #terminate()}.
     *
     * @throws IllegalStateException when the pool is still running (Python raises ValueError)
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException { backend.awaitFinished(Long.MAX_VALUE, true); }

    /**
     * {@link #join()} for at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return whether every worker has exited
     * @throws IllegalStateException when the pool is still running
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException { return backend.awaitFinished(unit.toNanos(timeout), true); }

    /**
     * Waits until every worker has started and connected (workers start when the pool is made).
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return true when every worker is ready, false on timeout or when the pool stopped first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitWorkers(long timeout, TimeUnit unit) throws InterruptedException { return backend.awaitWorkers(unit.toNanos(timeout)); }

    /** {@return the number of workers the pool keeps} */
    public int processes() { return backend.processes(); }

    /** {@return the counters: items completed and failed, workers started and replaced, and workers now} */
    public PoolStats stats() { return backend.stats(); }

    /** {@return the pids of the workers now running (for a THREAD pool, the JVM's own pid for each)} */
    public List<Long> workerPids() { return backend.workerPids(); }

    /** {@return the context whose start method the workers use; null for a pool on another back end ({@link Builder#backend})} */
    public Context context() { return context; }

    @Override public String toString() {
        PoolStats s = backend.stats();
        return "<Pool " + backend.kind() + " processes=" + backend.processes()
                + (backend.isRunning() ? " running" : " closed") + " completed=" + s.tasksCompleted() + ">";
    }
}
