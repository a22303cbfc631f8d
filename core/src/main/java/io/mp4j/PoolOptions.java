package io.mp4j;

import io.mp4j.core.pool.PoolEngine;
import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;

import java.io.Serializable;
import java.time.Duration;

/**
 * The options {@link Pool.Builder} and {@link ProcessPoolExecutor.Builder} share: context, initializer,
 * tasks per worker, task timeout. Each builder adds its own name for the worker count.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class PoolOptions<B extends PoolOptions<B>> {
    private Context context;
    private int workers;
    private Serializable initializer;
    private Object[] initargs = new Object[0];
    private int maxTasksPerChild;
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
        this.context = context;
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
     * A worker exits after this many items and is replaced (0, the default: never).
     *
     * @param n the number of items, 0 for no limit
     * @return this builder
     * @throws IllegalArgumentException for a negative number
     */
    public B maxTasksPerChild(int n) {
        if (n < 0) throw new IllegalArgumentException("maxTasksPerChild must not be negative: maxTasksPerChild=" + n);
        this.maxTasksPerChild = n;
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

    /** The engine these options describe; its workers start now. */
    PoolEngine engine() {
        return Pool.engine(context, workers, initializer, initargs, maxTasksPerChild, taskTimeout);
    }
}
