package io.mp4j;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The iterator of {@link ProcessPoolExecutor#map(io.mp4j.function.Fn, Iterable, java.time.Duration, int, int)}: keeps
 * at most {@code buffersize} tasks in flight, submitting the next item's task when a result is taken. Confined to
 * the thread that iterates, as any iterator.
 *
 * <p>Invariant: {@code inFlight} holds the futures of the items taken from {@code items} and not yet returned, in
 * item order, at most {@code buffersize} of them; it is empty once the items ran out, a task failed, the deadline
 * passed or {@link #cancel()} was called.
 */
final class BufferedResults<T, R> implements ResultIterator<R> {
    private final Iterator<? extends T> items;
    private final Function<T, CompletableFuture<R>> submit;
    private final int buffersize;
    private final long deadline; // System.nanoTime(); Long.MAX_VALUE: none
    private final ArrayDeque<CompletableFuture<R>> inFlight = new ArrayDeque<>();

    BufferedResults(Iterator<? extends T> items, Function<T, CompletableFuture<R>> submit, int buffersize, long deadline) {
        this.items = items;
        this.submit = submit;
        this.buffersize = buffersize;
        this.deadline = deadline;
        fill();
    }

    private void fill() {
        while (inFlight.size() < buffersize && items.hasNext()) inFlight.addLast(submit.apply(items.next()));
    }

    @Override public boolean hasNext() { return !inFlight.isEmpty(); }

    @Override
    public R next(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<R> f = inFlight.peekFirst();
        if (f == null) throw new NoSuchElementException("no more results");
        long wait = Math.max(0, unit.toNanos(timeout));
        boolean byDeadline = false;
        if (deadline != Long.MAX_VALUE) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (left <= wait) {
                wait = left;
                byDeadline = true;
            }
        }
        R r;
        try {
            r = f.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (byDeadline) cancel(); // the map's own timeout ends it, as Python's
            throw e;
        } catch (ExecutionException | CancellationException e) {
            cancel();
            throw e;
        }
        inFlight.removeFirst();
        fill();
        return r;
    }

    @Override
    public R next() {
        try {
            return next(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    @Override
    public void cancel() {
        for (CompletableFuture<R> f : inFlight) f.cancel(true);
        inFlight.clear();
    }
}
