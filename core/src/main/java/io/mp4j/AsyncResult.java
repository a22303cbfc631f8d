package io.mp4j;

import io.mp4j.spi.Job;
import io.mp4j.spi.PoolBackend;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of {@link Pool#applyAsync} or {@link Pool#mapAsync} (Python's {@code AsyncResult}): a
 * {@link Future} with Python's {@link #ready()}, {@link #successful()} and {@code wait} (named
 * {@link #await()} here, since {@code Object.wait} is final).
 *
 * <p>{@link #get()} throws {@link ExecutionException} whose cause is the exception the task threw in its
 * worker (same class and message), whose own cause is a {@link RemoteTraceback} with the worker's stack
 * trace. {@link #cancel} drops what has not started and kills (and replaces) a worker running the task.
 * A callback given to {@code applyAsync} has run by the time the result is ready.
 *
 * @param <R> the result's type
 */
public final class AsyncResult<R> implements Future<R> {
    private final CompletableFuture<R> future;
    private final PoolBackend backend;
    private volatile Job job;

    AsyncResult(CompletableFuture<R> future, PoolBackend backend) {
        this.future = future;
        this.backend = backend;
    }

    void bind(Job j) { this.job = j; }

    /**
     * The future behind this result (for {@link Futures}' callbacks).
     *
     * @return the future
     */
    CompletableFuture<R> future() { return future; }

    /**
     * True once the result (or the failure) is there.
     *
     * @return whether it is done
     */
    public boolean ready() { return future.isDone(); }

    /**
     * True when the task completed without an exception.
     *
     * @throws IllegalStateException when the result is not ready (Python raises ValueError)
     * @return whether it completed with a value
     * @throws IllegalStateException while it is not ready
     */
    public boolean successful() {
        if (!future.isDone()) throw new IllegalStateException("result is not ready");
        return !future.isCompletedExceptionally();
    }

    /**
     * Waits until the result is ready (Python's {@code wait()}).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await() throws InterruptedException {
        help(Long.MAX_VALUE);
        try {
            future.get();
        } catch (ExecutionException | CancellationException e) {
            // ready, unsuccessfully
        }
    }

    /**
     * Waits at most {@code timeout} until the result is ready; returns whether it is (Python's {@code wait(timeout)}).
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether it is ready
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            long nanos = unit.toNanos(timeout), end = System.nanoTime() + nanos;
            help(nanos);
            future.get(end - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
            // ready, unsuccessfully
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    @Override public R get() throws InterruptedException, ExecutionException {
        help(Long.MAX_VALUE);
        return future.get();
    }

    @Override public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout), end = System.nanoTime() + nanos;
        help(nanos);
        return future.get(end - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Before blocking: the back end may let this thread read its result itself (no hand-off between threads). */
    private void help(long nanos) {
        if (!future.isDone()) backend.helpUntil(future::isDone, nanos);
    }

    @Override public boolean isDone() { return future.isDone(); }

    @Override public boolean isCancelled() { return future.isCancelled(); }

    /**
     * Cancels the task: not yet started, it never runs; running, its worker is killed and replaced
     * ({@code mayInterruptIfRunning} is not consulted: a process cannot be interrupted in between).
     */
    @Override public boolean cancel(boolean mayInterruptIfRunning) {
        if (future.isDone()) return false;
        Job j = job;
        if (j == null) return future.cancel(mayInterruptIfRunning);
        backend.cancel(j, new CancellationException("cancelled"));
        return future.isCancelled();
    }

    /**
     * This result as a {@link CompletableFuture} (completing it has no effect on the pool).
     *
     * @return a completable future of the result
     */
    public CompletableFuture<R> toCompletableFuture() { return future.copy(); }

    @Override public String toString() {
        return "AsyncResult[" + (!future.isDone() ? "pending" : future.isCompletedExceptionally() ? "failed" : "ready") + "]";
    }
}
