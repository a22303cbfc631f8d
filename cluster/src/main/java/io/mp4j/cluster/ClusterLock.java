package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpLock;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.IgniteSemaphore;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Python's {@code Lock} on a cluster: an {@link IgniteSemaphore} of one permit, failover-safe. Any thread of any
 * process of the cluster may release it, as in Python (an {@code IgniteLock} belongs to a node's thread, which a
 * Python {@code Lock} does not). When the node holding it dies, its permit comes back and a waiter takes it.
 * Releasing it when it is free throws {@link IllegalStateException}; that check and the release are two cluster
 * calls, so two releases racing on a held lock may both pass it.
 *
 * <p>A {@link io.mp4j.shared.MpCondition} cannot wait on it (Ignite's conditions belong to its reentrant lock): make
 * conditions over an {@link ClusterRLock}. Interrupts as {@link MpLock}. Travels as its name.
 */
public final class ClusterLock implements MpLock, Shareable {
    /**
     * What travels: the semaphore's name.
     *
     * @param name the name of its Ignite structure
     */
    public record Handle(String name) {}

    private final String name;
    private volatile IgniteSemaphore sem;

    private ClusterLock(String name, IgniteSemaphore sem) {
        this.name = name;
        this.sem = sem;
    }

    static ClusterLock create(ClusterContext ctx) {
        String n = Grids.newName("lock");
        ClusterLock l = new ClusterLock(n, ctx.ignite().semaphore(n, 1, true, true));
        ctx.made(l.sem);
        return l;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterLock attach(Handle h) { return new ClusterLock(h.name(), null); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name); }

    IgniteSemaphore sem() {
        IgniteSemaphore s = sem;
        if (s == null) {
            s = Grids.current().semaphore(name, 0, true, false);
            if (s == null) throw Grids.gone("lock", name);
            sem = s;
        }
        return s;
    }

    /** Waits in slices ({@link Waits}): a waiter parked when the holder's node died may not be woken otherwise. */
    @Override public void lock() { Waits.acquireUninterruptibly(n -> sem().tryAcquire(n, TimeUnit.NANOSECONDS)); }

    @Override public void lockInterruptibly() throws InterruptedException {
        Waits.acquire(n -> sem().tryAcquire(n, TimeUnit.NANOSECONDS), -1, true);
    }

    @Override public boolean tryLock() { return sem().tryAcquire(); }

    @Override public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return Waits.acquire(n -> sem().tryAcquire(n, TimeUnit.NANOSECONDS), Math.max(0, unit.toNanos(time)), true);
    }

    /** @throws IllegalStateException when the lock is not held */
    @Override public void unlock() {
        IgniteSemaphore s = sem();
        if (s.availablePermits() > 0) throw new IllegalStateException("release unlocked lock: " + this);
        s.release();
    }

    @Override public boolean isLocked() { return sem().availablePermits() <= 0; }

    /** Unsupported: conditions on a cluster need an RLock ({@link ClusterContext#condition(MpLock)}). */
    @Override public Condition newCondition() {
        throw new UnsupportedOperationException("a cluster Lock is a semaphore and has no conditions: use ctx.condition() (over an RLock)");
    }

    static InterruptedException interrupted(IgniteInterruptedException e) {
        InterruptedException ie = new InterruptedException("interrupted while waiting on the cluster");
        ie.initCause(e);
        return ie;
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterLock l && l.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return "<ClusterLock " + name + ">"; }
}
