package io.mp4j;

import io.mp4j.function.Call;
import io.mp4j.function.Fn;
import io.mp4j.function.Fn2;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The layer of {@link Pool} that hands work to it: {@code apply}, {@code map}, {@code starmap}, {@code imap} and
 * their asynchronous forms, each with its documentation. Every call checks and encodes its arguments in the caller's
 * thread and hands them to the {@link PoolSubmitter}, which owns the chunking and the result sinks; the pool's
 * construction and life cycle are {@link Pool}'s.
 */
abstract sealed class PoolCalls permits Pool {
    final PoolSubmitter submitter;

    PoolCalls(PoolSubmitter submitter) { this.submitter = submitter; }

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
}
