package io.mp4j.cluster;

import org.apache.ignite.lang.IgniteRunnable;

/** Broadcast when a pool has finished: each node forgets what it kept for the pool. */
final class PoolEndJob implements IgniteRunnable {
    private static final long serialVersionUID = 1L;

    private final String pool;

    PoolEndJob(String pool) { this.pool = pool; }

    @Override public void run() { NodeTasks.end(pool); }
}
