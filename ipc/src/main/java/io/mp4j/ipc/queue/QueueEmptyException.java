package io.mp4j.ipc.queue;

import java.util.NoSuchElementException;

/**
 * A non-blocking or timed get found no item: Python's {@code queue.Empty}. A {@link NoSuchElementException},
 * as {@link java.util.Queue#remove()} throws on an empty queue.
 */
public class QueueEmptyException extends NoSuchElementException {
    /**
     * An exception saying why no item was taken.
     *
     * @param message why
     */
    public QueueEmptyException(String message) { super(message); }
}
