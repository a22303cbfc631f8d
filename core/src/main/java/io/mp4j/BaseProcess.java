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
    /**
     * Its name ({@code Process-N} unless set).
     *
     * @return the name
     */
    String getName();

    /**
     * Sets the name, before {@link #start()}.
     *
     * @param name the new name
     * @return this process
     */
    BaseProcess setName(String name);

    /**
     * Whether it is a daemon.
     *
     * @return whether it is
     */
    boolean isDaemon();

    /**
     * Marks it a daemon (terminated when the program exits instead of waited for), before {@link #start()}.
     *
     * @param daemon whether it is a daemon
     * @return this process
     * @throws IllegalStateException after {@link #start()}
     */
    BaseProcess setDaemon(boolean daemon);

    /**
     * Starts it. The target and its arguments are encoded here: what cannot travel fails in this call, naming it.
     *
     * @throws IllegalStateException when called twice, or on a closed process
     */
    void start();

    /**
     * Waits until it ends.
     *
     * @throws InterruptedException if interrupted while waiting (the process runs on)
     */
    void join() throws InterruptedException;

    /**
     * Waits at most {@code timeout}; a timeout of zero or less does not wait.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether it has ended
     * @throws InterruptedException if interrupted while waiting (the process runs on)
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * {@link #join(long, TimeUnit)} with a {@link Duration}.
     *
     * @param timeout how long to wait at most
     * @return whether it has ended
     * @throws InterruptedException if interrupted while waiting (the process runs on)
     */
    default boolean join(Duration timeout) throws InterruptedException { return join(timeout.toNanos(), TimeUnit.NANOSECONDS); }

    /**
     * Completes with the exit code when it ends.
     *
     * @return the future exit code
     */
    CompletableFuture<Integer> onExit();

    /**
     * Whether it was started and has not ended.
     *
     * @return whether it runs
     */
    boolean isAlive();

    /**
     * The process id; see the class comment for what it means on each back end.
     *
     * @return the pid, {@code null} before start
     */
    Long pid();

    /**
     * The exit code in Python's convention.
     *
     * @return the exit code, or {@code null} while running or before start
     */
    Integer exitCode();

    /** Ends it (SIGTERM for a local child; an interrupt elsewhere): exit code {@code -15}. */
    void terminate();

    /** Ends it at once (SIGKILL for a local child; an interrupt elsewhere): exit code {@code -9}. */
    void kill();

    /**
     * Releases it, once it has ended or if it never started.
     *
     * @throws IllegalStateException while it runs
     */
    @Override void close();
}
