package io.mp4j;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a process offers, whichever back end runs it (Python's {@code multiprocessing.process.BaseProcess}): a
 * local child ({@link MpProcess}) or a process on a cluster node ({@code io.mp4j.cluster.ClusterProcess}).
 *
 * <p>Exit codes follow Python: {@code null} while running, 0 on return, 1 after an uncaught exception,
 * {@code -15} after {@link #terminate()}, {@code -9} after {@link #kill()}. What a pid means depends on the back
 * end: a local child's own pid, or the pid of the cluster node's JVM that runs the process (see docs/cluster.md).
 */
public interface BaseProcess extends AutoCloseable {
    /** Its name ({@code Process-N} unless set). */
    String getName();

    /** Sets the name, before {@link #start()}; returns this process. */
    BaseProcess setName(String name);

    boolean isDaemon();

    /** Marks it a daemon (terminated when the program exits instead of waited for), before {@link #start()}. */
    BaseProcess setDaemon(boolean daemon);

    /**
     * Starts it. The target and its arguments are encoded here: what cannot travel fails in this call, naming it.
     *
     * @throws IllegalStateException when called twice, or on a closed process
     */
    void start();

    /** Waits until it ends. */
    void join() throws InterruptedException;

    /** Waits at most {@code timeout}; returns whether it has ended. @throws IllegalArgumentException for a negative timeout */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /** {@link #join(long, TimeUnit)} with a {@link Duration}. */
    default boolean join(Duration timeout) throws InterruptedException { return join(timeout.toNanos(), TimeUnit.NANOSECONDS); }

    /** Completes with the exit code when it ends. */
    CompletableFuture<Integer> onExit();

    boolean isAlive();

    /** The process id ({@code null} before start); see the class comment for what it means on each back end. */
    Long pid();

    /** The exit code in Python's convention, or {@code null} while running or before start. */
    Integer exitCode();

    /** Ends it (SIGTERM for a local child; an interrupt elsewhere): exit code {@code -15}. */
    void terminate();

    /** Ends it at once (SIGKILL for a local child; an interrupt elsewhere): exit code {@code -9}. */
    void kill();

    /** Releases it, once it has ended or if it never started. @throws IllegalStateException while it runs */
    @Override void close();
}
