package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpSemaphore;
import org.apache.ignite.IgniteSemaphore;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Semaphore} on a cluster: a failover-safe {@link IgniteSemaphore} (permits taken by a node that
 * dies come back). Any thread of any process may release. Interrupts as {@link MpSemaphore}. Travels as its name.
 */
public sealed class ClusterSemaphore implements MpSemaphore, Shareable permits ClusterBoundedSemaphore {
    /**
     * What travels: the semaphore's name, and the bound of a bounded one (-1 for none).
     *
     * @param name the name of its Ignite structure
     * @param bound the bound of a bounded one, -1 for none
     */
    public record Handle(String name, int bound) {}

    final String name;
    private volatile IgniteSemaphore sem;

    ClusterSemaphore(String name, IgniteSemaphore sem) {
        this.name = name;
        this.sem = sem;
    }

    static IgniteSemaphore newSemaphore(ClusterContext ctx, String name, int value) {
        if (value < 0) throw new IllegalArgumentException("semaphore initial value must be >= 0: value=" + value);
        IgniteSemaphore s = ctx.ignite().semaphore(name, value, true, true);
        ctx.made(s);
        return s;
    }

    static ClusterSemaphore create(ClusterContext ctx, int value) {
        String n = Grids.newName("semaphore");
        return new ClusterSemaphore(n, newSemaphore(ctx, n, value));
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterSemaphore attach(Handle h) { return new ClusterSemaphore(h.name(), null); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name, -1); }

    IgniteSemaphore sem() {
        IgniteSemaphore s = sem;
        if (s == null) {
            s = Grids.current().semaphore(name, 0, true, false);
            if (s == null) throw Grids.gone("semaphore", name);
            sem = s;
        }
        return s;
    }

    /** Waits in slices ({@link Waits}): a waiter parked when a node holding permits died may not be woken otherwise. */
    @Override public void acquire() throws InterruptedException { Waits.acquire(n -> sem().tryAcquire(n, TimeUnit.NANOSECONDS), -1, true); }

    @Override public boolean tryAcquire() { return sem().tryAcquire(); }

    @Override public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return Waits.acquire(n -> sem().tryAcquire(n, TimeUnit.NANOSECONDS), Math.max(0, unit.toNanos(timeout)), true);
    }

    @Override public void release() { sem().release(); }

    @Override public int getValue() { return sem().availablePermits(); }

    @Override public boolean equals(Object o) { return o instanceof ClusterSemaphore s && s.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return "<" + getClass().getSimpleName() + " " + name + ">"; }
}
