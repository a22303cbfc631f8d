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
 * <p>The calls that hand work to the pool (apply, map, starmap, imap and their asynchronous forms) are documented
 * with their layer, {@code PoolCalls}; this file holds the pool's construction and life cycle.
 *
 * <p>Thread-safe: any thread may submit work. What a task's worker wrote is visible to the caller once
 * its result is (the result is a copy; nothing else is shared unless passed as a shared object).
 */
public final class Pool extends PoolCalls implements AutoCloseable {
    private final PoolBackend backend;
    private final Context context;

    Pool(PoolBackend backend, Context context) {
        // on another back end (a cluster's) there is no local worker to check for: its nodes name what they cannot load
        super(new PoolSubmitter(backend, context == null ? new FunctionTable() : FunctionTable.forWorkersOf(context.startMethod())));
        this.backend = backend;
        this.context = context;
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

    /** One call's job ({@code apply}, the executor's {@code submit}): its arguments checked and encoded here. */
    Batch encodeOne(Serializable fn, Object[] args, io.mp4j.spi.ResultSink sink) { return submitter.encodeOne(fn, args, sink); }

    /** See {@link PoolSubmitter#iterate}. */
    <R> ResultIterator<R> iterate(Serializable fn, Iterable<?> items, int chunksize, boolean ordered, Progress progress, long timeoutNanos) {
        return submitter.iterate(fn, items, chunksize, ordered, progress, timeoutNanos);
    }

    PoolBackend backend() { return backend; }

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
