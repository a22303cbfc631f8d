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
    /** The number of parties. */
    int getParties();

    /** The parties waiting now (a snapshot). */
    int getNumberWaiting();

    /** Whether it is broken. */
    boolean isBroken();

    /** Waits for the other parties (at most the default timeout given when it was made: then {@link BrokenBarrierException}); returns this party's arrival index, 0 for the first, {@code parties - 1} for the last. */
    int await() throws InterruptedException, BrokenBarrierException;

    /** {@link #await()} for at most the given time; a timeout breaks the barrier. */
    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Back to the initial state; parties waiting get {@link BrokenBarrierException}. */
    void reset();

    /** Breaks the barrier: parties waiting now and later get {@link BrokenBarrierException} until {@link #reset()}. */
    void abort();
}
