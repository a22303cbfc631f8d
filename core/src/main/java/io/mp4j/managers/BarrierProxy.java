package io.mp4j.managers;

import io.mp4j.managers.SyncServants.Barrier;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier that lives in a manager (Python's {@code manager.Barrier(parties, timeout=t)}): {@code parties}
 * threads of any processes wait in {@link #await()} until all have arrived; it is then reusable. {@code await}
 * returns the party's arrival index, 0 to parties-1.
 *
 * <p>Failures, as {@link io.mp4j.ipc.sync.Barrier}'s: a party whose explicit timeout elapses breaks the barrier
 * and gets a {@link TimeoutException}; one whose default timeout elapses gets a {@link BrokenBarrierException};
 * the others, and later callers until {@link #reset()}, get a {@link BrokenBarrierException}. An interrupted party
 * breaks the barrier and throws {@link InterruptedException} within {@value Server#SLICE_MILLIS} ms. No action:
 * run it in the party that gets index 0.
 */
public final class BarrierProxy extends BaseProxy {
    BarrierProxy(Token token) { super(token); }

    private int await0(long nanos, boolean explicit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        try {
            return client().callChecked(id(), Barrier.WAIT, out -> {
                out.writeLong(nanos);
                out.writeBoolean(explicit);
            }, WireBuffer::readInt, true);
        } catch (ManagerClient.RemoteFailure f) {
            if (f.error instanceof BrokenBarrierException b) throw b;
            if (f.error instanceof TimeoutException t) throw t;
            throw f.unchecked();
        }
    }

    /**
     * Waits for every party (at most the barrier's default timeout, if it has one).
     *
     * @return this party's arrival index, 0 to parties-1
     * @throws BrokenBarrierException if the barrier is or becomes broken, also when the default timeout elapses
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return await0(Wire.FOREVER, false);
        } catch (TimeoutException e) {
            throw new BrokenBarrierException("timed out waiting at the barrier");
        }
    }

    /**
     * Waits for every party at most the given time.
     *
     * @throws TimeoutException if the time elapsed (the barrier is then broken)
     * @param timeout the longest wait, in {@code unit}
     * @param unit the unit of the time
     * @return this party's arrival index, 0 to parties-1
     * @throws InterruptedException when the thread is interrupted while waiting
     * @throws BrokenBarrierException if the barrier is or becomes broken
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return await0(Math.max(0, unit.toNanos(timeout)), true);
    }

    /** Back to its initial state; parties waiting now get a {@link BrokenBarrierException}. */
    public void reset() { client().call(id(), Barrier.RESET, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /** Breaks the barrier: waiting and later parties get a {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() { client().call(id(), Barrier.ABORT, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /**
     * Python's {@code parties}: the parties it waits for.
     *
     * @return how many parties the barrier waits for
     */
    public int getParties() { return client().call(id(), Barrier.PARTIES, ManagerClient.Args.NONE, WireBuffer::readInt); }

    /**
     * Python's {@code n_waiting}: the parties waiting now.
     *
     * @return how many parties wait now
     */
    public int getNumberWaiting() { return client().call(id(), Barrier.N_WAITING, ManagerClient.Args.NONE, WireBuffer::readInt); }

    /**
     * Python's {@code broken}.
     *
     * @return whether the barrier is broken
     */
    public boolean isBroken() { return client().call(id(), Barrier.BROKEN, ManagerClient.Args.NONE, WireBuffer::readBoolean); }
}
