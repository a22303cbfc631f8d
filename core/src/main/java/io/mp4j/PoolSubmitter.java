package io.mp4j;

import io.mp4j.core.pool.Batch;
import io.mp4j.core.pool.FunctionTable;
import io.mp4j.spi.PoolBackend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How a {@link Pool}'s calls become jobs on its back end: the function named once in the pool's table, the arguments
 * checked and encoded in the caller, the chunks, the result sinks, and the one thread that runs the callbacks.
 * Thread-safe.
 */
final class PoolSubmitter {
    private final PoolBackend backend;
    private final FunctionTable functions;
    private volatile ThreadPoolExecutor callbacks;

    PoolSubmitter(PoolBackend backend, FunctionTable functions) {
        this.backend = backend;
        this.functions = functions;
    }

    <R> AsyncResult<R> submitOne(Serializable fn, Object[] args, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        backend.checkAccepting();
        CompletableFuture<R> f = new CompletableFuture<>();
        Sinks.Single<R> sink = new Sinks.Single<>(f, callback, errorCallback, callbacks());
        Batch b = encodeOne(fn, args, sink);
        AsyncResult<R> r = new AsyncResult<>(f, backend);
        r.bind(b);
        backend.submit(b);
        return r;
    }

    /** One call's job ({@code apply}, the executor's {@code submit}): its arguments checked and encoded here. */
    Batch encodeOne(Serializable fn, Object[] args, io.mp4j.spi.ResultSink sink) {
        return Batch.encode(functions.entry(fn), List.<Object[]>of(args), 1, 1, 0, sink);
    }

    <R> AsyncResult<List<R>> submitList(Serializable fn, List<Object[]> args, int chunksize, Progress progress,
                                        Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        backend.checkAccepting();
        FunctionTable.Entry e = functions.entry(fn);
        Sinks.Listing<R> sink = new Sinks.Listing<>(args.size(), progress.start(args.size()), callback, errorCallback,
                callback == null && errorCallback == null ? Runnable::run : callbacks());
        Batch b = Batch.encode(e, args, args.size(), chunksize, 0, sink);
        AsyncResult<List<R>> r = new AsyncResult<>(sink.future, backend);
        r.bind(b);
        backend.submit(b);
        return r;
    }

    /**
     * imap, imap_unordered and the executor's map: the items are read now, and each is encoded on its own, so that an
     * item that cannot travel fails at its position (the iterator throws there) while the others run; an iterable
     * that throws ends the items there, its exception in that position.
     */
    <R> ResultIterator<R> iterate(Serializable fn, Iterable<?> items, int chunksize, boolean ordered, Progress progress, long timeoutNanos) {
        if (items == null) throw new IllegalArgumentException("items must not be null");
        backend.checkAccepting();
        FunctionTable.Entry e = functions.entry(fn);
        List<Object[]> args = new ArrayList<>();
        RuntimeException broken = null;
        try {
            for (Object o : items) args.add(new Object[]{o});
        } catch (RuntimeException ex) {
            broken = ex;
        }
        int size = args.size() + (broken == null ? 0 : 1);
        Sinks.Iter<R> sink = new Sinks.Iter<>(size, ordered, progress.start(size), timeoutNanos);
        List<Batch> jobs = new ArrayList<>();
        java.util.Map<Integer, Throwable> refused = new java.util.LinkedHashMap<>();
        Batch.Encoder enc = new Batch.Encoder(e, args.size());
        int first = 0;
        for (int i = 0; i < args.size(); i++) {
            try {
                enc.add(args.get(i), i);
            } catch (IllegalArgumentException ex) {
                if (enc.count() > 0) jobs.add(enc.finish(chunksize, first, sink));
                refused.put(i, ex);
                enc = new Batch.Encoder(e, args.size() - i);
                first = i + 1;
            }
        }
        if (enc.count() > 0) jobs.add(enc.finish(chunksize, first, sink));
        sink.bind(backend, jobs);
        for (Batch b : jobs) backend.submit(b);
        refused.forEach(sink::failed);
        if (broken != null) sink.failed(size - 1, broken);
        return sink;
    }

    /** Python's default chunksize: items / (4 x workers), rounded up. */
    static int defaultChunksize(int items, int processes) {
        if (items == 0) return 1;
        int c = items / (processes * 4);
        if (items % (processes * 4) != 0) c++;
        return Math.max(1, c);
    }

    int chunk(int chunksize, int items, boolean mapDefault) {
        if (chunksize < 0) throw new IllegalArgumentException("chunksize must not be negative: chunksize=" + chunksize);
        if (chunksize == 0) return mapDefault ? defaultChunksize(items, backend.processes()) : 1;
        return chunksize;
    }

    static List<Object[]> single(Iterable<?> items) {
        if (items == null) throw new IllegalArgumentException("items must not be null");
        List<Object[]> out = items instanceof java.util.Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        for (Object o : items) out.add(new Object[]{o});
        return out;
    }

    static List<Object[]> tuples(Iterable<? extends List<?>> items) {
        if (items == null) throw new IllegalArgumentException("items must not be null");
        List<Object[]> out = new ArrayList<>();
        int i = 0;
        for (List<?> t : items) {
            if (t == null) throw new IllegalArgumentException("item " + i + " of starmap is null: expected a list of arguments");
            out.add(t.toArray());
            i++;
        }
        return out;
    }

    private Executor callbacks() {
        ThreadPoolExecutor c = callbacks;
        if (c == null) {
            synchronized (this) {
                c = callbacks;
                if (c == null) {
                    c = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                            r -> Thread.ofPlatform().daemon(true).name("mp4j-pool-callbacks").unstarted(r));
                    callbacks = c;
                }
            }
        }
        return c;
    }
}
