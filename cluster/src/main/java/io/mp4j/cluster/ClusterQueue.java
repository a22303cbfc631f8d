package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.queue.QueueEmptyException;
import io.mp4j.ipc.queue.QueueFullException;
import io.mp4j.shared.MpQueue;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.IgniteQueue;
import org.apache.ignite.configuration.CollectionConfiguration;

import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Queue} on a cluster: an {@link IgniteQueue} of the items' bytes, encoded by the library's codec
 * against the element type (never Ignite's marshaller, which cannot take records), with as many backups as the
 * cluster's configuration says: with one backup it keeps every item when a node dies. Each item is taken by exactly
 * one consumer. Interrupts as {@link MpQueue}. Travels as its name, element type and bound.
 *
 * @param <E> the element type
 */
public class ClusterQueue<E> extends AbstractQueue<E> implements MpQueue<E>, Shareable {
    /**
     * What travels.
     *
     * @param name the name of its Ignite structure
     * @param elementType the class name items are decoded against
     * @param maxsize the bound, 0 for none
     */
    public record Handle(String name, String elementType, int maxsize) {}

    final String name;
    private final Class<E> elementType;
    private final int maxsize;
    private volatile IgniteQueue<byte[]> queue;
    private volatile boolean closed;

    ClusterQueue(String name, Class<E> elementType, int maxsize, IgniteQueue<byte[]> queue) {
        this.name = name;
        this.elementType = elementType;
        this.maxsize = maxsize;
        this.queue = queue;
    }

    static IgniteQueue<byte[]> newQueue(ClusterContext ctx, String name, Class<?> elementType, int maxsize) {
        if (elementType == null) throw new IllegalArgumentException("elementType must not be null");
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must not be negative: maxsize=" + maxsize);
        CollectionConfiguration cfg = new CollectionConfiguration().setBackups(ctx.config().backups()).setCollocated(false);
        IgniteQueue<byte[]> q = ctx.ignite().queue(name, maxsize, cfg);
        ctx.made(q);
        return q;
    }

    static <E> ClusterQueue<E> create(ClusterContext ctx, Class<E> elementType, int maxsize) {
        String n = Grids.newName("queue");
        return new ClusterQueue<>(n, elementType, maxsize, newQueue(ctx, n, elementType, maxsize));
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterQueue<?> attach(Handle h) { return new ClusterQueue<>(h.name(), elementClass(h.elementType()), h.maxsize(), null); }

    static Class<?> elementClass(String name) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, cl == null ? ClusterQueue.class.getClassLoader() : cl);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the element type " + name + " of a cluster queue is not on this node's class path", e);
        }
    }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name, elementType.getName(), maxsize); }

    IgniteQueue<byte[]> q() {
        if (closed) throw new IllegalStateException("the queue is closed in this process: " + this);
        IgniteQueue<byte[]> q = queue;
        if (q == null) {
            q = Grids.current().queue(name, 0, null);
            if (q == null) throw Grids.gone("queue", name);
            queue = q;
        }
        return q;
    }

    private byte[] encode(E item) {
        if (item == null) throw new NullPointerException("a queue item must not be null");
        return Codec.encode(item, elementType);
    }

    @SuppressWarnings("unchecked")
    private E decode(byte[] b) { return b == null ? null : (E) Codec.decode(b, elementType); }

    /** Inserts the item's bytes: waits {@code nanos} for room (0: not at all, -1: without limit); false when there was none. */
    boolean insert(byte[] b, long nanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
            if (nanos < 0) {
                q().put(b);
                return true;
            }
            return nanos == 0 ? q().offer(b) : q().offer(b, nanos, TimeUnit.NANOSECONDS);
        } catch (IgniteInterruptedException e) {
            throw ClusterLock.interrupted(e);
        } catch (IgniteException e) {
            if (Thread.interrupted()) throw ClusterLock.interrupted(new IgniteInterruptedException(e.getMessage()));
            throw e;
        }
    }

    private byte[] take(long nanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
            if (nanos < 0) return q().take();
            return nanos == 0 ? q().poll() : q().poll(nanos, TimeUnit.NANOSECONDS);
        } catch (IgniteInterruptedException e) {
            throw ClusterLock.interrupted(e);
        } catch (IgniteException e) {
            if (Thread.interrupted()) throw ClusterLock.interrupted(new IgniteInterruptedException(e.getMessage()));
            throw e;
        }
    }

    private static long nanos(boolean block, Duration timeout) {
        if (!block) return 0;
        return timeout == null ? -1 : Math.max(0, timeout.toNanos());
    }

    @Override public Class<E> elementType() { return elementType; }

    @Override public int maxsize() { return maxsize; }

    @Override public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        if (!insert(encode(item), nanos(block, timeout))) {
            throw new QueueFullException("queue full: maxsize=" + maxsize + (block ? " after waiting " + timeout : ""));
        }
    }

    @Override public void putNowait(E item) {
        try {
            put(item, false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override public E get() throws InterruptedException { return take(); }

    @Override public E get(boolean block, Duration timeout) throws InterruptedException {
        byte[] b = take(nanos(block, timeout));
        if (b == null) throw new QueueEmptyException("queue empty" + (block ? " after waiting " + timeout : ""));
        return decode(b);
    }

    @Override public E getNowait() {
        try {
            return get(false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override public int qsize() { return q().size(); }

    @Override public boolean isFull() { return maxsize > 0 && q().size() >= maxsize; }

    /** This process puts and takes no more through this object; the queue and its items stay for the others. */
    @Override public void close() { closed = true; }

    @Override public void put(E item) throws InterruptedException { insert(encode(item), -1); }

    @Override public boolean offer(E item) {
        try {
            return insert(encode(item), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        return insert(encode(item), Math.max(0, unit.toNanos(timeout)));
    }

    @Override public E take() throws InterruptedException { return decode(take(-1)); }

    @Override public E poll() {
        try {
            return decode(take(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override public E poll(long timeout, TimeUnit unit) throws InterruptedException { return decode(take(Math.max(0, unit.toNanos(timeout)))); }

    @Override public E peek() { return decode(q().peek()); }

    @Override public int size() { return q().size(); }

    @Override public boolean isEmpty() { return q().isEmpty(); }

    @Override public int remainingCapacity() { return maxsize == 0 ? Integer.MAX_VALUE : Math.max(0, maxsize - q().size()); }

    @Override public int drainTo(Collection<? super E> c) { return drainTo(c, Integer.MAX_VALUE); }

    @Override public int drainTo(Collection<? super E> c, int maxElements) {
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        int n = 0;
        while (n < maxElements) {
            E e = poll();
            if (e == null) break;
            c.add(e);
            n++;
        }
        return n;
    }

    /** A snapshot of the items, in order (they stay in the queue). */
    @Override public Iterator<E> iterator() {
        List<E> out = new ArrayList<>();
        for (byte[] b : q()) out.add(decode(b));
        return out.iterator();
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterQueue<?> q && q.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return "<" + getClass().getSimpleName() + " " + name + ">"; }
}
