package io.mp4j;

/**
 * A task failed because the worker running it ended (killed by a signal, {@code System.exit}, out of
 * memory...). Only that task fails: the pool replaces the worker and goes on. The message says which
 * worker, how it ended, and which task it was running.
 */
public final class WorkerDiedException extends RuntimeException {
    private final long pid;
    private final Integer exitCode;

    public WorkerDiedException(String message, long pid, Integer exitCode) {
        super(message);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** The worker's pid (the JVM's own pid for a THREAD worker). */
    public long pid() { return pid; }

    /** Its exit code in Python's convention ({@code -9} for SIGKILL), or {@code null} if it was not known in time. */
    public Integer exitCode() { return exitCode; }
}
