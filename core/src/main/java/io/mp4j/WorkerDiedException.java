package io.mp4j;

/**
 * A task failed because the worker running it ended (killed by a signal, {@code System.exit}, out of
 * memory...). Only that task fails: the pool replaces the worker and goes on. The message says which
 * worker, how it ended, and which task it was running.
 */
public final class WorkerDiedException extends RuntimeException {
    /** The worker's pid. */
    private final long pid;
    /** Its exit code in Python's convention, or null. */
    private final Integer exitCode;

    /**
     * A task's failure because its worker ended.
     *
     * @param message which worker, how it ended, which task
     * @param pid the worker's pid
     * @param exitCode its exit code, or null
     */
    public WorkerDiedException(String message, long pid, Integer exitCode) {
        super(message);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * The worker's pid (the JVM's own pid for a THREAD worker).
     *
     * @return the pid
     */
    public long pid() { return pid; }

    /**
     * Its exit code in Python's convention ({@code -9} for SIGKILL), or {@code null} if it was not known in time.
     *
     * @return the exit code, or null
     */
    public Integer exitCode() { return exitCode; }
}
