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
    private final String traceback;

    public RemoteTraceback(String traceback) {
        super("\n\"\"\"\n" + traceback + "\"\"\"", null, false, false);
        this.traceback = traceback;
    }

    /** The worker's stack trace, as text. */
    public String traceback() { return traceback; }
}
