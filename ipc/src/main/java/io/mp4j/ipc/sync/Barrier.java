package io.mp4j.ipc.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.shm.Segments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code multiprocessing.Barrier}: {@code parties} threads (of any processes) wait in
 * {@link #await()} until all have arrived; then the action runs once, in the last party to arrive, and all are
 * released. The barrier is reusable. {@code await} returns the party's arrival index, 0 to parties-1 (Python's
 * convention). Python's algorithm (filling, draining, resetting, broken) over a robust internal lock:
 *
 * <pre>
 *   base+0   internal lock  OwnerSync (24 bytes)
 *   base+24  seq       int  futex word: bumped whenever state or count changes
 *   base+28  sleepers  int
 *   base+32  state     int  0 filling, 1 draining, -1 resetting, -2 broken
 *   base+36  count     int  parties inside await
 *   base+40  parties   int
 * </pre>
 *
 * <p>Failures: a party whose timeout elapses breaks the barrier and gets a {@link TimeoutException}
 * ({@link java.util.concurrent.CyclicBarrier}'s convention; Python raises BrokenBarrierError there too);
 * the others, and later callers until {@link #reset()}, get a {@link BrokenBarrierException}; an exception from
 * the action breaks it too and propagates to the party that ran it. An interrupted party breaks the barrier and
 * throws {@link InterruptedException}. A default timeout, when given, applies to {@link #await()}, which then
 * throws {@link BrokenBarrierException} (Python's behaviour).
 *
 * <pre>{@code
 * Barrier b = ctx.barrier(3, () -> System.out.println("all here"), null);
 * int index = b.await();
 * }</pre>
 *
 * <p>Visibility across JVMs: everything a party wrote before {@code await} is visible to every party after it
 * returns. Travels as a handle; the action travels with it, serialized (it must be a serializable lambda or
 * object: use the context's factory, which takes a serializable {@code Task}).
 */
public final class Barrier extends SharedWords implements Shareable, io.mp4j.shared.MpBarrier {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Barrier.class, Barrier.Handle.class, Barrier::handle, Barrier::attach);
    }

    static final long LOCK = 0, SEQ = 24, SLEEPERS = 28, STATE = 32, COUNT = 36, PARTIES = 40, LENGTH = 48;
    static final int FILLING = 0, DRAINING = 1, RESETTING = -1, BROKEN = -2;

    /** A serializable action. */
    public interface Action extends Runnable, Serializable {}

    /**
     * What travels: the barrier's words, its default timeout (negative: none) and its serialized action.
     *
     * @param path the segment file
     * @param offset the barrier's words in it
     * @param timeoutNanos the default timeout, negative for none
     * @param action the serialized action, or null
     */
    public record Handle(String path, long offset, long timeoutNanos, byte[] action) {}

    private final OwnerSync lock;
    private final WaitStrategy ws = new WaitStrategy();
    private final Runnable action;
    private final byte[] actionBytes;
    private final long timeoutNanos;

    private Barrier(Segment segment, long offset, Runnable action, byte[] actionBytes, long timeoutNanos) {
        super(segment, offset);
        this.lock = new OwnerSync(segment, offset + LOCK, "Barrier");
        this.action = action;
        this.actionBytes = actionBytes;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * A new barrier in its own segment in {@code dir}.
     *
     * @param action run by the last party to arrive, or null; must be serializable to travel
     * @param timeoutNanos default timeout for {@link #await()}; negative: none
     * @param dir the directory the segment file goes into
     * @param parties how many parties must arrive
     * @return the new barrier
     * @throws IllegalArgumentException for fewer than one party, or an action that cannot be serialized
     */
    public static Barrier create(Path dir, int parties, Runnable action, long timeoutNanos) {
        if (parties <= 0) throw new IllegalArgumentException("parties must be positive: parties=" + parties);
        linkAhead();
        Segment seg = Segments.create(dir, "barrier", SegmentDescriptor.KIND_SYNC, LENGTH);
        Barrier b = new Barrier(seg, SegmentDescriptor.HEADER_LENGTH, action, serialize(action), timeoutNanos);
        b.setInt(PARTIES, parties);
        return b;
    }

    /**
     * Re-attaches a barrier from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same barrier
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @JsonCreator
    public static Barrier attach(Handle h) {
        linkAhead();
        Runnable a = h.action() == null ? null : deserialize(h.action());
        return new Barrier(Segments.attach(h.path()), h.offset(), a, h.action(), h.timeoutNanos());
    }

    /**
     * The handle this barrier travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() { return new Handle(segment.path().toString(), base, timeoutNanos, actionBytes); }

    /**
     * The number of parties needed to trip the barrier.
     *
     * @return the number of parties
     */
    public int getParties() { return getInt(PARTIES); }

    /**
     * Python's {@code n_waiting}: parties waiting now.
     *
     * @return the number waiting
     */
    public int getNumberWaiting() {
        return getInt(STATE) == FILLING ? getInt(COUNT) : 0;
    }

    /**
     * Python's {@code broken}.
     *
     * @return whether the barrier is broken
     */
    public boolean isBroken() { return getInt(STATE) == BROKEN; }

    /**
     * Waits for all parties (at most the default timeout, if one was given).
     *
     * @return this party's arrival index, 0 to parties-1
     * @throws BrokenBarrierException if the barrier is or becomes broken (also when the default timeout elapses)
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken for the others)
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitImpl(timeoutNanos);
        } catch (TimeoutException e) {
            throw new BrokenBarrierException("timed out waiting at the barrier");
        }
    }

    /**
     * Waits for all parties, at most the given time.
     *
     * @throws TimeoutException if the time elapsed (the barrier is then broken)
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return this party's arrival index, 0 to parties-1
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken for the others)
     * @throws BrokenBarrierException if the barrier is or becomes broken
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitImpl(nanos(timeout, unit));
    }

    private int awaitImpl(long nanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + nanos;
        lockInternal();
        try {
            while (getInt(STATE) == DRAINING || getInt(STATE) == RESETTING) waitInternal(-1);
            if (getInt(STATE) < 0) throw new BrokenBarrierException();
            int index = getInt(COUNT);
            setInt(COUNT, index + 1);
            try {
                if (index + 1 == getInt(PARTIES)) {
                    release();
                } else {
                    while (getInt(STATE) == FILLING) {
                        long left = -1;
                        if (nanos >= 0 && (left = deadline - System.nanoTime()) <= 0) {
                            breakInternal();
                            throw new TimeoutException("timed out waiting at the barrier: parties=" + getInt(PARTIES));
                        }
                        try {
                            waitInternal(left);
                        } catch (InterruptedException e) {
                            breakInternal();
                            throw e;
                        }
                    }
                    if (getInt(STATE) < 0) throw new BrokenBarrierException();
                }
                return index;
            } finally {
                setInt(COUNT, getInt(COUNT) - 1);
                exit();
            }
        } finally {
            unlockInternal();
        }
    }

    /** Called with the internal lock held by the last party. */
    private void release() {
        try {
            if (action != null) action.run();
            setInt(STATE, DRAINING);
            notifyAllInternal();
        } catch (RuntimeException | Error e) {
            breakInternal();
            throw e;
        }
    }

    /** Called with the internal lock held, when a party leaves. */
    private void exit() {
        if (getInt(COUNT) == 0 && (getInt(STATE) == RESETTING || getInt(STATE) == DRAINING)) {
            setInt(STATE, FILLING);
            notifyAllInternal();
        }
    }

    /** Returns the barrier to its initial state; parties waiting now get a {@link BrokenBarrierException}. */
    public void reset() {
        lockInternal();
        try {
            if (getInt(COUNT) > 0) {
                int s = getInt(STATE);
                if (s == FILLING || s == BROKEN) setInt(STATE, RESETTING);
            } else {
                setInt(STATE, FILLING);
            }
            notifyAllInternal();
        } finally {
            unlockInternal();
        }
    }

    /** Breaks the barrier: waiting and future parties get a {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() {
        lockInternal();
        try {
            breakInternal();
        } finally {
            unlockInternal();
        }
    }

    private void breakInternal() {
        setInt(STATE, BROKEN);
        notifyAllInternal();
    }

    private void lockInternal() {
        long me = OwnerSync.me();
        try {
            lock.acquire(me, -1, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } catch (OwnerDiedException e) {
            // a party died inside the barrier: its generation cannot complete
            setInt(COUNT, Math.max(0, getInt(COUNT) - 1));
            breakInternal();
        }
    }

    private void unlockInternal() { lock.release(); }

    private void notifyAllInternal() {
        addInt(SEQ, 1);
        WaitStrategy.wake(m, base + SEQ, base + SLEEPERS, Integer.MAX_VALUE);
    }

    /** Releases the internal lock, waits for a change (or the time), re-acquires. Called with the lock held. */
    private void waitInternal(long nanos) throws InterruptedException {
        int s = getInt(SEQ);
        unlockInternal();
        InterruptedException ie = null;
        try {
            ws.awaitChange(m, base + SEQ, base + SLEEPERS, s, nanos, true);
        } catch (InterruptedException e) {
            ie = e;
        }
        lockInternal();
        if (ie != null) throw ie;
    }

    private static byte[] serialize(Runnable action) {
        if (action == null) return null;
        if (!(action instanceof Serializable)) return null; // works in this process only (THREAD children)
        try (var bos = new ByteArrayOutputStream(); var out = new ObjectOutputStream(bos)) {
            out.writeObject(action);
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("the barrier action cannot travel to other processes: " + e, e);
        }
    }

    private static Runnable deserialize(byte[] bytes) {
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader() == null
                        ? Barrier.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
            }
        }) {
            return (Runnable) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("cannot restore the barrier action: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "<Barrier(parties=" + getParties() + ", waiting=" + getNumberWaiting() + (isBroken() ? ", broken" : "") + ")>";
    }
}
