package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.shared.MpJoinableQueue;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;
import org.apache.ignite.IgniteQueue;

import java.time.Duration;

/**
 * Python's {@code JoinableQueue} on a cluster: a {@link ClusterQueue} with an atomic count of unfinished items (one
 * more before each put, one less at each {@link #taskDone()}) and a failover-safe lock's condition that
 * {@code taskDone} signals when the count reaches zero, with the lock held, so that {@link #join()} misses no
 * wake-up. Travels as {@link ClusterQueue} does.
 *
 * @param <E> the element type
 */
public final class ClusterJoinableQueue<E> extends ClusterQueue<E> implements MpJoinableQueue<E> {
    private volatile IgniteAtomicLong unfinished;
    private volatile Monitor monitor;

    private ClusterJoinableQueue(String name, Class<E> elementType, int maxsize, IgniteQueue<byte[]> queue) {
        super(name, elementType, maxsize, queue);
    }

    static <E> ClusterJoinableQueue<E> create(ClusterContext ctx, Class<E> elementType, int maxsize) {
        String n = Grids.newName("jqueue");
        ClusterJoinableQueue<E> q = new ClusterJoinableQueue<>(n, elementType, maxsize, newQueue(ctx, n, elementType, maxsize));
        q.unfinished = ctx.ignite().atomicLong(n + "-unfinished", 0, true);
        q.monitor = Monitor.of(ctx.ignite(), n + "-monitor", true, "joinable queue");
        ctx.made(q.unfinished);
        ctx.made(q.monitor.lock);
        return q;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterJoinableQueue<?> attach(Handle h) {
        return new ClusterJoinableQueue<>(h.name(), elementClass(h.elementType()), h.maxsize(), null);
    }

    @Override @JsonValue
    public Handle handle() { return super.handle(); }

    private void attachCounters() {
        if (monitor != null) return;
        Ignite ig = Grids.current();
        IgniteAtomicLong u = ig.atomicLong(name + "-unfinished", 0, false);
        if (u == null) throw Grids.gone("joinable queue", name);
        unfinished = u;
        monitor = Monitor.of(ig, name + "-monitor", false, "joinable queue");
    }

    @Override boolean insert(byte[] b, long nanos) throws InterruptedException {
        attachCounters();
        unfinished.incrementAndGet();
        boolean done = false;
        try {
            done = super.insert(b, nanos);
            return done;
        } finally {
            if (!done) finished();
        }
    }

    @Override public void taskDone() {
        attachCounters();
        long left = unfinished.decrementAndGet();
        if (left < 0) {
            unfinished.incrementAndGet();
            throw new IllegalStateException("task_done() called too many times");
        }
        if (left == 0) wakeJoiners();
    }

    private void finished() {
        if (unfinished.decrementAndGet() == 0) wakeJoiners();
    }

    private void wakeJoiners() {
        monitor.lock.lock();
        try {
            monitor.changed.signalAll();
        } finally {
            monitor.lock.unlock();
        }
    }

    @Override public void join() throws InterruptedException { join(-1); }

    @Override public boolean join(Duration timeout) throws InterruptedException { return join(Math.max(0, timeout.toNanos())); }

    private boolean join(long nanos) throws InterruptedException {
        attachCounters();
        if (unfinished.get() == 0) return true;
        if (nanos == 0) return false;
        monitor.lockInterruptibly();
        try {
            long left = nanos;
            while (unfinished.get() > 0) {
                if (nanos >= 0 && left <= 0) return false;
                left = monitor.await(left);
            }
            return true;
        } finally {
            monitor.lock.unlock();
        }
    }

    @Override public long unfinishedTasks() {
        attachCounters();
        return unfinished.get();
    }
}
