package io.mp4j.ipc.queue;

/**
 * A non-blocking or timed put found the queue full: Python's {@code queue.Full}. An
 * {@link IllegalStateException}, as {@link java.util.Queue#add} throws on a full queue.
 */
public class QueueFullException extends IllegalStateException {
    /**
     * An exception saying why no item was put.
     *
     * @param message why
     */
    public QueueFullException(String message) { super(message); }
}
