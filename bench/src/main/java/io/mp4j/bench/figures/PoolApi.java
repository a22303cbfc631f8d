package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.function.Fn;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The process pool (issue 7) as the figures use it, called by name until it lands on main
 * ({@link NotBuiltException} while it does not exist).
 */
final class PoolApi implements AutoCloseable {
    final Object pool;

    private PoolApi(Object pool) { this.pool = pool; }

    static PoolApi open(Context ctx, int processes) throws Exception { return open(ctx, processes, null); }

    /**
     * {@code Pool.builder().context(ctx).processes(n).maxTasksPerChild(m).build()} (branch pool), or
     * {@code ctx.pool(n)} should the context grow a factory.
     */
    static PoolApi open(Context ctx, int processes, Integer maxTasksPerChild) throws Exception {
        Class<?> poolClass;
        try {
            poolClass = Class.forName("io.mp4j.Pool");
        } catch (ClassNotFoundException e) {
            throw new NotBuiltException("Pool (issue 7)");
        }
        Object b = poolClass.getMethod("builder").invoke(null);
        b = Dyn.call(b, "context", ctx);
        b = Dyn.call(b, "processes", processes);
        if (maxTasksPerChild != null) b = Dyn.call(b, "maxTasksPerChild", maxTasksPerChild);
        return new PoolApi(Dyn.call(b, "build"));
    }

    @SuppressWarnings("unchecked")
    <T, R> List<R> map(Fn<T, R> fn, List<T> items, int chunksize) throws Exception {
        return (List<R>) Dyn.call(pool, "map", fn, items, chunksize);
    }

    @SuppressWarnings("unchecked")
    <T, R> List<R> map(Fn<T, R> fn, List<T> items) throws Exception {
        return (List<R>) Dyn.call(pool, "map", fn, items);
    }

    @SuppressWarnings("unchecked")
    <T, R> Iterator<R> imapUnordered(Fn<T, R> fn, List<T> items, int chunksize) throws Exception {
        Object it = Dyn.call(pool, "imapUnordered", fn, items, chunksize);
        return it instanceof Iterator<?> i ? (Iterator<R>) i : ((Iterable<R>) it).iterator();
    }

    @SuppressWarnings("unchecked")
    <T, R> R apply(Fn<T, R> fn, T arg) throws Exception {
        return (R) Dyn.call(pool, "apply", fn, arg);
    }

    @SuppressWarnings("unchecked")
    <T, R> Future<R> applyAsync(Fn<T, R> fn, T arg) throws Exception {
        return (Future<R>) Dyn.call(pool, "applyAsync", fn, arg);
    }

    /** {@code close(); join()}, as Python's {@code with} does not (it terminates): the figures close and join. */
    @Override
    public void close() throws Exception {
        Dyn.call(pool, "close");
        Dyn.call(pool, "join");
    }
}
