package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpCondition;
import org.apache.ignite.IgniteCondition;
import org.apache.ignite.IgniteInterruptedException;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code Condition} on a cluster: an {@link IgniteCondition} of a {@link ClusterRLock} (Ignite's conditions
 * belong to its reentrant lock, so a cluster condition needs an RLock; Python's default is one too). The lock must be
 * held to wait or signal ({@link IllegalMonitorStateException} otherwise). Interrupts as {@link MpCondition}.
 * Travels as the lock's and the condition's names.
 */
public final class ClusterCondition implements MpCondition, Shareable {
    /**
     * What travels: the lock's name and the condition's.
     *
     * @param lock the name of the lock it is bound to
     * @param name the name of its Ignite structure
     */
    public record Handle(String lock, String name) {}

    private final ClusterRLock lock;
    private final String name;
    private volatile IgniteCondition cond;

    private ClusterCondition(ClusterRLock lock, String name) {
        this.lock = lock;
        this.name = name;
    }

    static ClusterCondition create(ClusterRLock lock) {
        ClusterCondition c = new ClusterCondition(lock, Grids.newName("condition"));
        c.cond();
        return c;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterCondition attach(Handle h) {
        return new ClusterCondition(ClusterRLock.attach(new ClusterRLock.Handle(h.lock())), h.name());
    }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(lock.name(), name); }

    private IgniteCondition cond() {
        IgniteCondition c = cond;
        if (c == null) {
            c = lock.ignite().getOrCreateCondition(name);
            cond = c;
        }
        return c;
    }

    @Override public ClusterRLock getLock() { return lock; }

    @Override public void acquire() { lock.lock(); }

    @Override public void release() { lock.unlock(); }

    @Override public void await() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
            cond().await();
        } catch (IgniteInterruptedException e) {
            throw ClusterLock.interrupted(e);
        }
    }

    @Override public void awaitUninterruptibly() { cond().awaitUninterruptibly(); }

    @Override public long awaitNanos(long nanosTimeout) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
            return cond().awaitNanos(nanosTimeout);
        } catch (IgniteInterruptedException e) {
            throw ClusterLock.interrupted(e);
        }
    }

    @Override public boolean await(long time, TimeUnit unit) throws InterruptedException { return awaitNanos(unit.toNanos(time)) > 0; }

    @Override public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())) > 0;
    }

    @Override public void waitFor(BooleanSupplier predicate) throws InterruptedException {
        while (!predicate.getAsBoolean()) await();
    }

    @Override public boolean waitFor(BooleanSupplier predicate, long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(time);
        boolean ok;
        while (!(ok = predicate.getAsBoolean())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            awaitNanos(left);
        }
        return ok;
    }

    @Override public void signal() { cond().signal(); }

    @Override public void signalAll() { cond().signalAll(); }

    @Override public String toString() { return "<ClusterCondition " + name + " of " + lock + ">"; }
}
