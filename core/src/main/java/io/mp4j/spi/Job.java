package io.mp4j.spi;

import java.nio.ByteBuffer;

/**
 * One submission to a back end: a single call ({@code apply}, {@code submit}) or the items of a {@code map},
 * each item's arguments already encoded in the caller. The back end runs the items in ranges of at most
 * {@link #chunksize()} (a <em>task</em>), in any order and on any worker, and reports each item once to
 * {@link #sink()} at index {@code firstIndex() + i}.
 *
 * <p>Thread-safe: immutable but for the cancelled flag, which the back end sets under its own lock.
 */
public interface Job {
    /** {@return the function every item calls} */
    TaskFunction function();

    /** {@return the number of items, 0 or more} */
    int size();

    /** {@return items per task, at least 1 (the back end may send fewer, never more)} */
    int chunksize();

    /**
     * {@return the sink index of item 0} (An {@code imap} is submitted as several jobs around an item that could not
     * travel.)
     */
    int firstIndex();

    /**
     * The encoded arguments of items {@code from} (inclusive) to {@code to} (exclusive), back to back, as a
     * read-only view (no copy): each item as the function's argument encoder wrote it.
     *
     * @param from the first item, from 0
     * @param to one past the last item, at most {@link #size()}
     * @return the items' encoded arguments
     */
    ByteBuffer args(int from, int to);

    /** {@return where outcomes go} */
    ResultSink sink();

    /** {@return true once the job was cancelled (by its caller, a failed map, or the pool ending): no item may start after} */
    boolean isCancelled();

    /**
     * Marks the job cancelled; returns false if it was already. Called by the back end under its lock, so that
     * a task is either started or never starts.
     *
     * @return true if this call cancelled it
     */
    boolean markCancelled();

    /**
     * What items {@code from .. to-1} call, for messages: {@code Tasks.square(Integer) (items 4-7)}.
     *
     * @param from the first item
     * @param to one past the last item
     * @return the description
     */
    String describe(int from, int to);
}
