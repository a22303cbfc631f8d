package io.mp4j;

import java.util.Iterator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link Pool#imap}, {@link Pool#imapUnordered} and {@link ProcessPoolExecutor#map}, lazily,
 * as they come (Python's {@code IMapIterator}). It is also {@link Iterable} (over itself, once), so that
 * it can stand in a for-each loop as a Python iterator does.
 *
 * <p>{@link #next(long, TimeUnit)} is Python's {@code next(timeout)}: it throws {@link TimeoutException}
 * when the next result is late, {@link ExecutionException} (cause: the task's exception) when that item
 * failed. {@link #next()} throws the same failures wrapped in an unchecked {@link CompletionException}.
 *
 * @param <R> the results' type
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R> {
    /**
     * The next result, waiting at most {@code timeout} for it.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the next result
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException with the item's exception as its cause
     * @throws TimeoutException when the result did not come in time
     * @throws java.util.NoSuchElementException when there are no more results
     */
    R next(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException;

    /** Stops waiting for results: what is not done is cancelled (queued items dropped, running ones' workers replaced). */
    void cancel();

    @Override default Iterator<R> iterator() { return this; }
}
