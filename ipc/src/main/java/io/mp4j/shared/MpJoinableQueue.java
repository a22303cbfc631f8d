package io.mp4j.shared;

import java.time.Duration;

/**
 * Python's {@code JoinableQueue}: a {@link MpQueue} that counts unfinished items: every put adds one, every
 * {@link #taskDone()} takes one away, and {@link #join()} waits until none is left.
 *
 * @param <E> the element type
 */
public interface MpJoinableQueue<E> extends MpQueue<E> {
    /**
     * Python's {@code task_done()}.
     *
     * @throws IllegalStateException when called more times than items were put
     */
    void taskDone();

    /**
     * Python's {@code join()}: waits until every item put has been marked done.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void join() throws InterruptedException;

    /**
     * {@link #join()} for at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return whether no unfinished item is left
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(Duration timeout) throws InterruptedException;

    /**
     * The items put and not yet marked done (a snapshot).
     *
     * @return the number
     */
    long unfinishedTasks();
}
