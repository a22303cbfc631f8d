package io.mp4j.ipc.queue;

/**
 * The queue was shut down ({@link Queue#shutdown(boolean)}): Python 3.13's {@code queue.ShutDown}. Thrown by
 * every put once the queue is shut down, and by every get once it is also empty (or at once after an
 * immediate shutdown). An {@link IllegalStateException}, as the other refusals of a queue in a state that
 * does not allow the call.
 */
public class QueueShutDownException extends IllegalStateException {
    /**
     * A refusal of a shut-down queue.
     *
     * @param message what was refused
     */
    public QueueShutDownException(String message) { super(message); }
}
