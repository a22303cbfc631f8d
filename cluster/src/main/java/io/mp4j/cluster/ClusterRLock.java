package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpRLock;
import org.apache.ignite.IgniteLock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Python's {@code RLock} on a cluster: a failover-safe, non-fair {@link IgniteLock}. It belongs to the thread (of a
 * node or the program) that holds it; when that node dies, the lock is freed and a waiter takes it. Releasing it from
 * a thread that does not hold it throws {@link IllegalMonitorStateException}. Interrupts as
 * {@link io.mp4j.shared.MpLock}. Travels as its name.
 */
public final class ClusterRLock implements MpRLock, Shareable {
    /**
     * What travels: the lock's name.
     *
     * @param name the name of its Ignite structure
     */
    public record Handle(String name) {}

    private final String name;
    private volatile IgniteLock lock;

    private ClusterRLock(String name, IgniteLock lock) {
        this.name = name;
        this.lock = lock;
    }

    static ClusterRLock create(ClusterContext ctx) {
        String n = Grids.newName("rlock");
        ClusterRLock l = new ClusterRLock(n, ctx.ignite().reentrantLock(n, true, false, true));
        ctx.made(l.lock);
        return l;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterRLock attach(Handle h) { return new ClusterRLock(h.name(), null); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name); }

    String name() { return name; }

    IgniteLock ignite() {
        IgniteLock l = lock;
        if (l == null) {
            l = Grids.current().reentrantLock(name, true, false, false);
            if (l == null) throw Grids.gone("rlock", name);
            lock = l;
        }
        return l;
    }

    /** Waits in slices ({@link Waits}): a waiter parked when the holder's node died may not be woken otherwise. */
    @Override public void lock() { Waits.acquireUninterruptibly(n -> ignite().tryLock(n, TimeUnit.NANOSECONDS)); }

    @Override public void lockInterruptibly() throws InterruptedException {
        Waits.acquire(n -> ignite().tryLock(n, TimeUnit.NANOSECONDS), -1, true);
    }

    @Override public boolean tryLock() { return ignite().tryLock(); }

    @Override public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return Waits.acquire(n -> ignite().tryLock(n, TimeUnit.NANOSECONDS), Math.max(0, unit.toNanos(time)), true);
    }

    @Override public void unlock() { ignite().unlock(); }

    @Override public boolean isLocked() { return ignite().isLocked(); }

    @Override public boolean isHeldByCurrentThread() { return ignite().isHeldByCurrentThread(); }

    @Override public int getHoldCount() { return ignite().getHoldCount(); }

    /** Unsupported: make conditions with {@link ClusterContext#condition(io.mp4j.shared.MpLock)}, so that they travel. */
    @Override public Condition newCondition() {
        throw new UnsupportedOperationException("use ctx.condition(rlock) to make a cluster condition that travels");
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterRLock l && l.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return "<ClusterRLock " + name + ">"; }
}
