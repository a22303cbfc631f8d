package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.Pool;
import io.mp4j.function.Fn;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;

/** The process pool as the figures use it: Python's {@code Pool(...)}, and {@code close(); join()} at the end. */
final class PoolApi implements AutoCloseable {
    final Pool pool;

    private PoolApi(Pool pool) { this.pool = pool; }

    static PoolApi open(Context ctx, int processes) { return open(ctx, processes, null); }

    /** {@code Pool(processes, maxtasksperchild=m)}; null: no limit. */
    static PoolApi open(Context ctx, int processes, Integer maxTasksPerChild) {
        Pool.Builder b = ctx.poolBuilder().processes(processes);
        if (maxTasksPerChild != null) b.maxTasksPerChild(maxTasksPerChild);
        return new PoolApi(b.build());
    }

    <T, R> List<R> map(Fn<T, R> fn, List<T> items, int chunksize) throws Exception { return pool.map(fn, items, chunksize); }

    <T, R> List<R> map(Fn<T, R> fn, List<T> items) throws Exception { return pool.map(fn, items); }

    <T, R> Iterator<R> imapUnordered(Fn<T, R> fn, List<T> items, int chunksize) { return pool.imapUnordered(fn, items, chunksize); }

    <T, R> R apply(Fn<T, R> fn, T arg) throws Exception { return pool.apply(fn, arg); }

    <T, R> Future<R> applyAsync(Fn<T, R> fn, T arg) { return pool.applyAsync(fn, arg); }

    /** Python's {@code terminate(); join()}: stops the workers with work still queued. */
    void terminate() throws Exception {
        pool.terminate();
        pool.join();
    }

    /** {@code close(); join()}, as the Python figures do (not {@code with}, which terminates). */
    @Override
    public void close() throws Exception {
        pool.close();
        pool.join();
    }
}
