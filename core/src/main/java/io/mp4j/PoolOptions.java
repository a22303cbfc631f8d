package io.mp4j;

import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;
import io.mp4j.spi.PoolBackend;
import io.mp4j.spi.PoolBackendFactory;
import io.mp4j.spi.PoolSpec;

import java.io.Serializable;
import java.time.Duration;

/**
 * The options {@link Pool.Builder} and {@link ProcessPoolExecutor.Builder} share: context or back end,
 * initializer, tasks per worker, task timeout. Each builder adds its own name for the worker count.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class PoolOptions<B extends PoolOptions<B>> {
    private Context context;
    private PoolBackendFactory backend;
    private int workers;
    private Serializable initializer;
    private Object[] initargs = new Object[0];
    private Integer maxTasksPerChild;
    private long maxMemoryPerChild;
    private Duration taskTimeout;

    PoolOptions() {}

    @SuppressWarnings("unchecked")
    private B self() { return (B) this; }

    /**
     * The context whose start method the workers use (default: {@link Multiprocessing#getContext()}).
     *
     * @param context the context
     * @return this builder
     */
    public B context(Context context) {
        if (context == null) throw new IllegalArgumentException("context must not be null");
        this.context = context;
        return self();
    }

    /**
     * Runs the workers on another back end (a cluster's) instead of a local context's processes; the pool's API
     * and its guarantees stay the same. Not together with a context.
     *
     * @param backend the back end's factory
     * @return this builder
     */
    public B backend(PoolBackendFactory backend) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.backend = backend;
        return self();
    }

    B workers(String name, int n) {
        if (n < 1) throw new IllegalArgumentException(name + " must be at least 1: " + name + "=" + n);
        this.workers = n;
        return self();
    }

    /**
     * Runs {@code init} once in every worker (and every replacement) before its first task.
     *
     * @param init the initializer
     * @return this builder
     */
    public B initializer(Task init) { return init(init); }

    /**
     * Runs {@code init(a)} once in every worker (and every replacement) before its first task.
     *
     * @param <A> the argument's type
     * @param init the initializer
     * @param a its argument, encoded for every worker
     * @return this builder
     */
    public <A> B initializer(Task1<A> init, A a) { return init(init, a); }

    /**
     * Runs {@code init(a, c)} once in every worker (and every replacement) before its first task.
     *
     * @param <A> the first argument's type
     * @param <C> the second argument's type
     * @param init the initializer
     * @param a its first argument
     * @param c its second argument
     * @return this builder
     */
    public <A, C> B initializer(Task2<A, C> init, A a, C c) { return init(init, a, c); }

    /**
     * Runs {@code init(a, c, d)} once in every worker (and every replacement) before its first task.
     *
     * @param <A> the first argument's type
     * @param <C> the second argument's type
     * @param <D> the third argument's type
     * @param init the initializer
     * @param a its first argument
     * @param c its second argument
     * @param d its third argument
     * @return this builder
     */
    public <A, C, D> B initializer(Task3<A, C, D> init, A a, C c, D d) { return init(init, a, c, d); }

    private B init(Serializable init, Object... args) {
        if (init == null) throw new IllegalArgumentException("initializer must not be null");
        this.initializer = init;
        this.initargs = args;
        return self();
    }

    /**
     * A worker exits after this many items and is replaced (Python's {@code maxtasksperchild}); at least 1.
     * Leave it unset for no limit (Python's {@code None}): 0 is refused, as Python refuses it.
     *
     * @param n items per worker, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public B maxTasksPerChild(int n) {
        if (n < 1) throw new IllegalArgumentException("maxTasksPerChild must be at least 1 (leave it unset for no limit): maxTasksPerChild=" + n);
        this.maxTasksPerChild = n;
        return self();
    }

    /**
     * A worker whose resident memory is above {@code bytes} after a task exits and is replaced (billiard's
     * {@code max_memory_per_child}, which counts KiB): a task that leaves a large heap or native memory behind does
     * not keep it for the rest of the pool's life. Checked after each task, from {@code /proc/self/statm}. Not for
     * THREAD workers, which share this JVM's memory (refused when the pool is built).
     *
     * @param bytes the limit of a worker's resident memory, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is below 1
     */
    public B maxMemoryPerChild(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("maxMemoryPerChild must be at least 1 byte: maxMemoryPerChild=" + bytes);
        this.maxMemoryPerChild = bytes;
        return self();
    }

    /**
     * Limits every item's run time: over it, the item is interrupted and fails with a TimeoutException;
     * if it ignores the interrupt, its worker is ended and replaced. Items are then sent one at a time.
     *
     * @param timeout the limit, positive
     * @return this builder
     * @throws IllegalArgumentException for a null, zero or negative timeout
     */
    public B taskTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("task timeout must be positive: timeout=" + timeout);
        this.taskTimeout = timeout;
        return self();
    }

    /** The context the workers use when no other back end was set (null when one was). */
    Context localContext() {
        if (backend != null) return null;
        return context != null ? context : Multiprocessing.getContext();
    }

    /** Opens the back end these options describe; its workers start now, or on demand. */
    PoolBackend open(boolean startOnDemand) {
        if (backend != null && context != null) {
            throw new IllegalArgumentException("a pool takes a context or a backend, not both: context=" + context + " backend=" + backend);
        }
        int n = workers > 0 ? workers : Multiprocessing.cpuCount();
        PoolSpec spec = new PoolSpec(n, initializer, initargs, maxTasksPerChild, maxMemoryPerChild, taskTimeout, startOnDemand);
        PoolBackendFactory f = backend != null ? backend : localContext().poolBackends();
        return f.open(spec);
    }
}
