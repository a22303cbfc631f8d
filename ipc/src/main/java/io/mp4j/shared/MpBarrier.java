package io.mp4j.shared;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code Barrier}: {@code parties} processes wait at it until all have arrived, then all go on; it is
 * reusable. A wait that times out, an {@link #abort()} or a {@link #reset()} breaks it for the parties waiting
 * ({@link BrokenBarrierException}).
 */
public interface MpBarrier {
    /**
     * The number of parties.
     *
     * @return the parties that must arrive
     */
    int getParties();

    /**
     * The parties waiting now (a snapshot).
     *
     * @return the number waiting
     */
    int getNumberWaiting();

    /**
     * Whether it is broken.
     *
     * @return whether waiters get {@link BrokenBarrierException}
     */
    boolean isBroken();

    /**
     * Waits for the other parties (at most the default timeout given when it was made: then
     * {@link BrokenBarrierException}).
     *
     * @return this party's arrival index, 0 for the first, {@code parties - 1} for the last
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken)
     * @throws BrokenBarrierException when the barrier is or becomes broken
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * {@link #await()} for at most the given time; a timeout breaks the barrier.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return this party's arrival index
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken)
     * @throws BrokenBarrierException when the barrier is or becomes broken
     * @throws TimeoutException when the time ran out first
     */
    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Back to the initial state; parties waiting get {@link BrokenBarrierException}. */
    void reset();

    /** Breaks the barrier: parties waiting now and later get {@link BrokenBarrierException} until {@link #reset()}. */
    void abort();
}
