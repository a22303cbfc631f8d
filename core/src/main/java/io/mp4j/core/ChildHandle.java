package io.mp4j.core;

import io.mp4j.worker.ExitStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A started child as its launcher sees it (Python's {@code Popen} objects). Exit codes are already in
 * Python's convention: {@code -N} for death by signal N ({@link ExitStatus}).
 */
public interface ChildHandle {
    /**
     * The child's pid (the JVM's own pid for THREAD).
     *
     * @return the pid
     */
    long pid();

    /**
     * Completes with the exit code when the child has ended.
     *
     * @return the future of the exit code
     */
    CompletableFuture<Integer> onExit();

    /**
     * Waits until the child has ended and {@link #onExit()} is complete (its callbacks have run). A handle
     * may wait more directly than through the future's chain of threads.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    default void awaitExit() throws InterruptedException {
        try {
            onExit().get();
        } catch (ExecutionException e) {
            // the handle failed: its exit code records it
        }
    }

    /**
     * {@link #awaitExit()} for at most {@code nanos}; whether the child has ended.
     *
     * @param nanos the longest wait
     * @return whether the child has ended
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean awaitExit(long nanos) throws InterruptedException {
        try {
            onExit().get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** SIGTERM (Python's {@code terminate()}). */
    void terminate();

    /** SIGKILL (Python's {@code kill()}). */
    void kill();

    /** SIGINT (Python 3.14's {@code interrupt()}); nothing once the child has ended. */
    default void interrupt() {
        if (!onExit().isDone()) Signals.send(pid(), Signals.SIGINT);
    }

    /** Lets the child run, once its handle is published (a THREAD child starts its thread here). */
    default void begin() {}

    /** Releases what the handle holds once the child has ended (pipes). */
    default void release() {}
}
