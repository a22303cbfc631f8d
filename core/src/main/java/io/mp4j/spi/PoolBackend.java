package io.mp4j.spi;

import io.mp4j.PoolStats;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * A pool's back end: it runs the {@link Job}s that {@code Pool} and {@code ProcessPoolExecutor} submit on its
 * workers and reports their outcomes, and it owns the workers' life cycle.
 *
 * <p><b>Life cycle</b>, as Python's pool: <em>running</em> (accepting work) &rarr; <em>closed</em> ({@link #close}:
 * no new work; everything accepted still runs, then the workers exit) or &rarr; <em>terminated</em>
 * ({@link #terminate}: workers ended at once, unfinished work cancelled) or &rarr; <em>broken</em> (the
 * initializer failed, or workers cannot start: accepted work fails with the cause, new work is refused naming it).
 * A closed back end may still be terminated. It is <em>finished</em> once it is no longer running, nothing it
 * accepted is left, and every worker has exited.
 *
 * <p><b>Failures.</b> A task that throws fails only its item. A worker that dies fails only the item it was
 * running (a {@code WorkerDiedException} naming the worker, how it ended and the item) and is replaced; work it
 * had not started goes to other workers. A back end never hangs a caller because a worker died.
 *
 * <p><b>Threads.</b> Every method may be called from any thread and returns without waiting for workers, except
 * the {@code await} methods. Those throw {@link InterruptedException} when the calling thread is interrupted,
 * and leave the back end as it was. Sinks are called from the back end's own threads.
 */
public interface PoolBackend {
    /**
     * Accepts {@code job}: each item will run once, or fail, or be cancelled with the job.
     *
     * @param job the submission
     * @throws IllegalStateException when the back end is not running (the message says closed, terminated or
     *                               broken, with the cause); the job is then untouched
     */
    void submit(Job job);

    /** Throws the {@link IllegalStateException} {@link #submit} would throw, without submitting anything. */
    void checkAccepting();

    /**
     * Cancels what is left of {@code job}: items not started never start, and the worker of an item that is
     * running is ended and replaced (a process cannot be interrupted halfway). The sink gets
     * {@code cancelled(reason)}.
     *
     * @param job the job to cancel
     * @param reason what its sink and futures are cancelled with
     * @return false when the job was already cancelled
     */
    boolean cancel(Job job, CancellationException reason);

    /** Cancels every single-call job that has not started (Python's {@code shutdown(cancel_futures=True)}); running ones go on. */
    void cancelQueued();

    /** No new work; workers finish everything accepted, then exit (Python's {@code close()}). Does not wait. */
    void close();

    /** Ends every worker now; whatever has not finished is cancelled (Python's {@code terminate()}). Does not wait. */
    void terminate();

    /**
     * Waits until the back end is finished: closed or terminated, nothing left, every worker exited.
     *
     * @param nanos the longest wait; {@code Long.MAX_VALUE} for no limit
     * @param requireStopped refuse to wait on a back end that still runs
     * @return true when finished, false when the time ran out first (or, with {@code requireStopped}, never: see below)
     * @throws IllegalStateException with {@code requireStopped}, when it is still running (Python's {@code join()}
     *                               before {@code close()} raises ValueError)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitFinished(long nanos, boolean requireStopped) throws InterruptedException;

    /**
     * Waits until every worker the back end keeps has started and can take work.
     *
     * @param nanos the longest wait
     * @return true when they all can, false on timeout or when the back end stopped first
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitWorkers(long nanos) throws InterruptedException;

    /** {@return true while new work is accepted} */
    boolean isRunning();

    /** {@return true once finished (see the life cycle above)} */
    boolean isFinished();

    /** {@return the number of workers it keeps} */
    int processes();

    /** {@return its counters now} */
    PoolStats stats();

    /** {@return the process ids of the workers running now (for workers that are threads, this JVM's pid for each)} */
    List<Long> workerPids();

    /** {@return a short name for messages and {@code toString}: the start method ({@code "fork"}), or {@code "cluster"}} */
    String kind();

    /**
     * Called by a thread about to block until {@code done} holds, for at most {@code nanos}: the back end may use the
     * time to read results itself, so that a result reaches its caller without a hand-off between threads. Returns
     * when {@code done} holds, when the time is up, or earlier, when it has nothing better to offer than the caller's
     * own blocking wait, which follows. Leaves an interrupt set for that wait to throw. The default spins for at most
     * 30 microseconds.
     *
     * @param done true once the caller has what it waits for
     * @param nanos the longest time to spend ({@code Long.MAX_VALUE}: no limit)
     */
    default void helpUntil(java.util.function.BooleanSupplier done, long nanos) {
        long end = System.nanoTime() + Math.min(nanos, 30_000);
        for (int i = 0; !done.getAsBoolean(); ) {
            Thread.onSpinWait();
            if ((++i & 63) == 0 && System.nanoTime() - end > 0) return;
        }
    }
}
