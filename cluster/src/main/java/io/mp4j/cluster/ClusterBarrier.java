package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.function.Task;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpBarrier;
import io.mp4j.worker.task.FunctionRef;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code Barrier} on a cluster, built from a failover-safe lock with a condition and three atomic
 * counters: the parties arrived in this generation, the generation (one more at every trip or reset), and the
 * generation that is broken ({@link #abort()}, a timeout, an interrupt, a failing action; -1 for none). The last
 * party to arrive runs the action, in whichever process that is, and wakes the others. Interrupts as
 * {@link MpBarrier} (an interrupted wait breaks the barrier). Travels as its name, parties, default timeout and
 * encoded action.
 */
public final class ClusterBarrier implements MpBarrier, Shareable {
    /**
     * What travels.
     *
     * @param name the name of its Ignite structure
     * @param parties the number of parties
     * @param timeoutNanos the default timeout of await, 0 for none
     * @param action the encoded barrier action, or null
     */
    public record Handle(String name, int parties, long timeoutNanos, byte[] action) {}

    private final Handle h;
    private volatile Monitor monitor;
    private volatile IgniteAtomicLong count, generation, broken;

    private ClusterBarrier(Handle h) { this.h = h; }

    static ClusterBarrier create(ClusterContext ctx, int parties, Task action, java.time.Duration timeout) {
        if (parties < 1) throw new IllegalArgumentException("a barrier needs at least 1 party: parties=" + parties);
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        byte[] a = action == null ? null : encode(FunctionRef.of(action));
        ClusterBarrier b = new ClusterBarrier(new Handle(Grids.newName("barrier"), parties, timeout == null ? -1 : timeout.toNanos(), a));
        Ignite ig = ctx.ignite();
        b.monitor = Monitor.of(ig, b.h.name() + "-monitor", true, "barrier");
        b.count = ig.atomicLong(b.h.name() + "-count", 0, true);
        b.generation = ig.atomicLong(b.h.name() + "-generation", 0, true);
        b.broken = ig.atomicLong(b.h.name() + "-broken", -1, true);
        ctx.made(b.monitor.lock);
        ctx.made(b.count);
        ctx.made(b.generation);
        ctx.made(b.broken);
        return b;
    }

    private static byte[] encode(FunctionRef f) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            f.write(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("the barrier action cannot travel: " + e.getMessage(), e);
        }
        return bos.toByteArray();
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterBarrier attach(Handle h) { return new ClusterBarrier(h); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return h; }

    private void attachStructures() {
        if (monitor != null) return;
        Ignite ig = Grids.current();
        count = counter(ig, "-count");
        generation = counter(ig, "-generation");
        broken = counter(ig, "-broken");
        monitor = Monitor.of(ig, h.name() + "-monitor", false, "barrier");
    }

    private IgniteAtomicLong counter(Ignite ig, String suffix) {
        IgniteAtomicLong l = ig.atomicLong(h.name() + suffix, 0, false);
        if (l == null) throw Grids.gone("barrier", h.name());
        return l;
    }

    @Override public int getParties() { return h.parties(); }

    @Override public int getNumberWaiting() {
        attachStructures();
        return (int) count.get();
    }

    @Override public boolean isBroken() {
        attachStructures();
        return broken.get() == generation.get();
    }

    @Override public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitNanos(h.timeoutNanos());
        } catch (TimeoutException e) {
            throw new BrokenBarrierException("timed out waiting at the barrier");
        }
    }

    @Override public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitNanos(Math.max(0, unit.toNanos(timeout)));
    }

    private int awaitNanos(long nanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        attachStructures();
        Monitor m = monitor;
        m.lockInterruptibly();
        try {
            long gen = generation.get();
            if (broken.get() == gen) throw new BrokenBarrierException();
            int index = (int) count.getAndIncrement();
            if (index + 1 == h.parties()) {
                trip(gen);
                return index;
            }
            long left = nanos;
            while (generation.get() == gen && broken.get() != gen) {
                if (nanos >= 0 && left <= 0) {
                    breakBarrier(gen);
                    throw new TimeoutException("timed out waiting at the barrier: parties=" + h.parties());
                }
                try {
                    left = m.await(left);
                } catch (InterruptedException e) {
                    breakBarrier(gen);
                    throw e;
                }
            }
            if (broken.get() == gen) throw new BrokenBarrierException();
            return index;
        } finally {
            m.lock.unlock();
        }
    }

    /** The last party: runs the action, then opens the next generation. Called holding the lock. */
    private void trip(long gen) {
        if (h.action() != null) {
            try {
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                FunctionRef f = FunctionRef.read(new DataInputStream(new ByteArrayInputStream(h.action())),
                        cl == null ? ClusterBarrier.class.getClassLoader() : cl);
                f.invoke(new Object[0]);
            } catch (RuntimeException | Error e) {
                breakBarrier(gen);
                throw e;
            } catch (Throwable t) {
                breakBarrier(gen);
                throw new CompletionException("the barrier action failed: " + t, t);
            }
        }
        count.getAndSet(0);
        generation.incrementAndGet();
        monitor.changed.signalAll();
    }

    /** Called holding the lock. */
    private void breakBarrier(long gen) {
        broken.getAndSet(gen);
        count.getAndSet(0);
        monitor.changed.signalAll();
    }

    @Override public void reset() {
        attachStructures();
        monitor.lock.lock();
        try {
            long gen = generation.get();
            if (count.get() > 0) broken.getAndSet(gen);
            count.getAndSet(0);
            generation.incrementAndGet();
            monitor.changed.signalAll();
        } finally {
            monitor.lock.unlock();
        }
    }

    @Override public void abort() {
        attachStructures();
        monitor.lock.lock();
        try {
            breakBarrier(generation.get());
        } finally {
            monitor.lock.unlock();
        }
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterBarrier b && b.h.name().equals(h.name()); }

    @Override public int hashCode() { return h.name().hashCode(); }

    @Override public String toString() { return "<ClusterBarrier " + h.name() + " parties=" + h.parties() + ">"; }
}
