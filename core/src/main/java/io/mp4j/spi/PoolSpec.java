package io.mp4j.spi;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;

/**
 * What a pool asks of its back end, as the user set it on a builder ({@code Pool.Builder},
 * {@code ProcessPoolExecutor.Builder}). Checked here, so that every back end sees valid values.
 *
 * @param processes         the number of workers, at least 1
 * @param initializer       run once in every worker before its first task (a serializable lambda or method
 *                          reference), or null
 * @param initargs          the initializer's arguments (never null; empty without an initializer)
 * @param maxTasksPerChild  items a worker runs before it is replaced, or null for no limit (Python's {@code None})
 * @param maxMemoryPerChild resident memory, in bytes, above which a worker is replaced after a task; 0 for no limit
 * @param taskTimeout       longest run time of one item, or null for no limit
 * @param startOnDemand     true: a worker is started only when a task finds no idle worker (the executor's way);
 *                          false: every worker is started with the pool (the pool's way)
 */
public record PoolSpec(int processes, Serializable initializer, Object[] initargs, Integer maxTasksPerChild,
                       long maxMemoryPerChild, Duration taskTimeout, boolean startOnDemand) {
    /** Checks every value; the message names the one that is wrong. */
    public PoolSpec {
        if (processes < 1) throw new IllegalArgumentException("processes must be at least 1: processes=" + processes);
        initargs = initargs == null ? new Object[0] : initargs.clone();
        if (initializer == null && initargs.length > 0) {
            throw new IllegalArgumentException("initargs given without an initializer: initargs=" + Arrays.toString(initargs));
        }
        if (maxTasksPerChild != null && maxTasksPerChild < 1) {
            throw new IllegalArgumentException("maxTasksPerChild must be at least 1 (leave it unset for no limit): maxTasksPerChild=" + maxTasksPerChild);
        }
        if (maxMemoryPerChild < 0) throw new IllegalArgumentException("maxMemoryPerChild must not be negative: maxMemoryPerChild=" + maxMemoryPerChild);
        if (taskTimeout != null && (taskTimeout.isNegative() || taskTimeout.isZero())) {
            throw new IllegalArgumentException("task timeout must be positive: timeout=" + taskTimeout);
        }
    }

    /** {@return a copy of the initializer's arguments} */
    @Override public Object[] initargs() { return initargs.clone(); }

    /** {@return the task timeout in nanoseconds, 0 for none} */
    public long taskTimeoutNanos() { return taskTimeout == null ? 0 : taskTimeout.toNanos(); }
}
