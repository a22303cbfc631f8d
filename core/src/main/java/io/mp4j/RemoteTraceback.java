package io.mp4j;

/**
 * The cause of an exception that a task threw in a worker: its message is the worker's stack trace, as
 * the worker printed it, with the causes (Python's {@code multiprocessing.pool.RemoteTraceback}).
 *
 * <pre>{@code
 * try {
 *     pool.apply(Tasks::fail, 1);
 * } catch (ExecutionException e) {
 *     Throwable inWorker = e.getCause();          // same class and message as in the worker
 *     RemoteTraceback tb = (RemoteTraceback) inWorker.getCause();
 * }
 * }</pre>
 */
public final class RemoteTraceback extends Exception {
    /** The worker's stack trace, as text. */
    private final String traceback;

    /**
     * A cause holding the worker's trace.
     *
     * @param traceback the trace, as the worker printed it
     */
    public RemoteTraceback(String traceback) {
        super("\n\"\"\"\n" + traceback + "\"\"\"", null, false, false);
        this.traceback = traceback;
    }

    /**
     * The worker's stack trace, as text.
     *
     * @return the trace
     */
    public String traceback() { return traceback; }
}
