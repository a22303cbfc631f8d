package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpEvent;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Event} on a cluster: the flag is an {@link IgniteAtomicLong}; waiters wait on a failover-safe
 * lock's condition, signalled by {@link #set()} with the lock held (so that no wake-up is lost between a waiter's
 * check and its wait). Interrupts as {@link MpEvent}. Travels as its name.
 */
public final class ClusterEvent implements MpEvent, Shareable {
    /**
     * What travels: the event's name.
     *
     * @param name the name of its Ignite structure
     */
    public record Handle(String name) {}

    private final String name;
    private volatile IgniteAtomicLong flag;
    private volatile Monitor monitor;

    private ClusterEvent(String name) { this.name = name; }

    static ClusterEvent create(ClusterContext ctx) {
        ClusterEvent e = new ClusterEvent(Grids.newName("event"));
        e.flag = ctx.ignite().atomicLong(e.name, 0, true);
        e.monitor = Monitor.of(ctx.ignite(), e.name + "-monitor", true, "event");
        ctx.made(e.flag);
        ctx.made(e.monitor.lock);
        return e;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterEvent attach(Handle h) { return new ClusterEvent(h.name()); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name); }

    private IgniteAtomicLong flag() {
        IgniteAtomicLong f = flag;
        if (f == null) {
            f = Grids.current().atomicLong(name, 0, false);
            if (f == null) throw Grids.gone("event", name);
            flag = f;
        }
        return f;
    }

    private Monitor monitor() {
        Monitor m = monitor;
        if (m == null) {
            Ignite ig = Grids.current();
            m = Monitor.of(ig, name + "-monitor", false, "event");
            monitor = m;
        }
        return m;
    }

    @Override public boolean isSet() { return flag().get() != 0; }

    @Override public void set() {
        Monitor m = monitor();
        m.lock.lock();
        try {
            flag().getAndSet(1);
            m.changed.signalAll();
        } finally {
            m.lock.unlock();
        }
    }

    @Override public void clear() { flag().getAndSet(0); }

    @Override public void await() throws InterruptedException { awaitNanos(-1); }

    @Override public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitNanos(Math.max(0, unit.toNanos(timeout)));
    }

    private boolean awaitNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (isSet()) return true;
        if (nanos == 0) return false;
        Monitor m = monitor();
        m.lockInterruptibly();
        try {
            long left = nanos;
            while (!isSet()) {
                if (nanos >= 0 && left <= 0) return false;
                left = m.await(left);
            }
            return true;
        } finally {
            m.lock.unlock();
        }
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterEvent e && e.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return "<ClusterEvent " + name + ">"; }
}
