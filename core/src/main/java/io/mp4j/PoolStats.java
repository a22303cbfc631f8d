package io.mp4j;

/**
 * Counters of a {@link Pool} or {@link ProcessPoolExecutor} since it was made, read together at one moment.
 * Items are counted, not chunks: a {@code map} of 100 items completes 100.
 *
 * @param tasksCompleted  items whose result came back
 * @param tasksFailed     items that failed (the task threw, its worker died, it timed out, its result could not travel);
 *                        cancelled items are in neither count
 * @param workersStarted  workers started, the first ones included
 * @param workersReplaced workers started to take the place of one that ended (died, retired after
 *                        {@code maxTasksPerChild} items or over {@code maxMemoryPerChild}, or was ended by a cancel)
 * @param workers         workers now starting or running
 */
public record PoolStats(long tasksCompleted, long tasksFailed, long workersStarted, long workersReplaced, int workers) {
    /** Refuses negative counts. */
    public PoolStats {
        if (tasksCompleted < 0 || tasksFailed < 0 || workersStarted < 0 || workersReplaced < 0 || workers < 0) {
            throw new IllegalArgumentException("counts must not be negative: tasksCompleted=" + tasksCompleted + " tasksFailed="
                    + tasksFailed + " workersStarted=" + workersStarted + " workersReplaced=" + workersReplaced + " workers=" + workers);
        }
    }
}
