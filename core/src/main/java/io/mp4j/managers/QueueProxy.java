package io.mp4j.managers;

import io.mp4j.ipc.queue.QueueEmptyException;
import io.mp4j.ipc.queue.QueueFullException;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BlockingQueue} that lives in a manager (Python's {@code manager.Queue()}): every item goes to exactly
 * one taker, in the order put. Python's names are here too: {@link #put(Object, boolean, Duration)},
 * {@link #get(boolean, Duration)}, {@link #putNowait}, {@link #getNowait}, {@link #qsize()}, {@link #isFull()}.
 * <pre>{@code
 * BlockingQueue<String> q = manager.queue(String.class);
 * pool.apply(Tasks::produce, q);      // the task: q.put("done")
 * String first = q.take();
 * }</pre>
 *
 * <p>Blocking calls wait in the server. An interrupt ends them with {@link InterruptedException} within
 * {@value Server#SLICE_MILLIS} ms, having taken or put nothing; if the item was taken or put at that moment, the
 * call returns normally with the interrupt status set (nothing is lost either way). {@code null} items are
 * refused, as by every {@code BlockingQueue}. Items are stored encoded (see {@link BaseProxy}): what a taker gets
 * is a copy of what was put, decoded as the element type given to {@code manager.queue(type)}.
 *
 * <p>The collection views ({@link #iterator()}, {@code toArray}, {@code contains}) look at a snapshot.
 *
 * @param <E> the type of the elements
 */
public sealed class QueueProxy<E> extends BaseProxy implements BlockingQueue<E> permits JoinableQueueProxy {
    private final Class<?> elementType;

    QueueProxy(Token token) {
        super(token);
        elementType = type(0);
    }

    final <R> R call(int method, ManagerClient.Args args, ManagerClient.Answer<R> answer) {
        return client().call(id(), method, args, answer);
    }

    final <R> R callInterruptibly(int method, ManagerClient.Args args, ManagerClient.Answer<R> answer) throws InterruptedException {
        return client().callInterruptibly(id(), method, args, answer);
    }

    @SuppressWarnings("unchecked")
    private E element(WireBuffer in) throws IOException { return (E) Wire.readBlob(in, elementType); }

    private static <T> T nonNull(T item) { return Objects.requireNonNull(item, "a queue does not take null items"); }

    /** Puts within {@code nanos} (0: only if there is room now; negative: no limit); whether it was put. */
    private boolean offerNanos(E item, long nanos) throws InterruptedException {
        nonNull(item);
        ManagerClient.Args args = out -> {
            Wire.writeBlob(out, item);
            out.writeLong(nanos);
        };
        return nanos == 0 ? call(QueueServant.PUT, args, WireBuffer::readBoolean)
                : callInterruptibly(QueueServant.PUT, args, WireBuffer::readBoolean);
    }

    /** Takes within {@code nanos} (0: only if there is one now; negative: no limit); null if none came. */
    private E pollNanos(long nanos) throws InterruptedException {
        ManagerClient.Args args = out -> out.writeLong(nanos);
        ManagerClient.Answer<E> answer = in -> Wire.absentNext(in) ? null : element(in);
        return nanos == 0 ? call(QueueServant.GET, args, answer) : callInterruptibly(QueueServant.GET, args, answer);
    }

    // ------------------------------------------------------------------ Python's names

    /**
     * Python's {@code put(item, block, timeout)}: {@code timeout} null waits without limit.
     *
     * @throws QueueFullException when there was no room (at once when {@code block} is false, else after the timeout)
     * @param item the item, not null
     * @param block {@code false}: return at once rather than wait
     * @param timeout the longest wait
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        long nanos = !block ? 0 : timeout == null ? Wire.FOREVER : Math.max(0, timeout.toNanos());
        if (!offerNanos(item, nanos)) throw new QueueFullException("the queue is full: maxsize=" + maxsize());
    }

    /**
     * Python's {@code put_nowait}: {@link QueueFullException} when there is no room.
     *
     * @param item the item, not null
     */
    public void putNowait(E item) {
        if (!offer(item)) throw new QueueFullException("the queue is full: maxsize=" + maxsize());
    }

    /**
     * Python's {@code get()}: {@link #take()}.
     *
     * @return the oldest item
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public E get() throws InterruptedException { return take(); }

    /**
     * Python's {@code get(block, timeout)}: {@code timeout} null waits without limit.
     *
     * @throws QueueEmptyException when no item came (at once when {@code block} is false, else after the timeout)
     * @param block {@code false}: return at once rather than wait
     * @param timeout the longest wait
     * @return the oldest item
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public E get(boolean block, Duration timeout) throws InterruptedException {
        long nanos = !block ? 0 : timeout == null ? Wire.FOREVER : Math.max(0, timeout.toNanos());
        E e = pollNanos(nanos);
        if (e == null) throw new QueueEmptyException("the queue is empty");
        return e;
    }

    /**
     * Python's {@code get_nowait}: {@link QueueEmptyException} when it is empty.
     *
     * @return the oldest item
     */
    public E getNowait() {
        E e = poll();
        if (e == null) throw new QueueEmptyException("the queue is empty");
        return e;
    }

    /**
     * Python's {@code qsize()}: the items in the queue now.
     *
     * @return the number of items
     */
    public int qsize() { return size(); }

    /**
     * Python's {@code full()}.
     *
     * @return whether the queue holds {@code maxsize} items
     */
    public boolean isFull() {
        int max = maxsize();
        return max > 0 && size() >= max;
    }

    /**
     * The queue's bound (0: unbounded).
     *
     * @return the most items the queue holds, 0 for no limit
     */
    public int maxsize() { return call(QueueServant.MAXSIZE, ManagerClient.Args.NONE, WireBuffer::readInt); }

    // ------------------------------------------------------------------ BlockingQueue

    @Override
    public boolean add(E e) {
        if (!offer(e)) throw new IllegalStateException("the queue is full: maxsize=" + maxsize());
        return true;
    }

    @Override
    public boolean offer(E e) {
        try {
            return offerNanos(e, 0);
        } catch (InterruptedException x) {
            throw new AssertionError("a non-blocking put cannot be interrupted", x);
        }
    }

    @Override public void put(E e) throws InterruptedException { offerNanos(e, Wire.FOREVER); }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException { return offerNanos(e, Wire.nanos(timeout, unit)); }

    @Override
    public E take() throws InterruptedException { return pollNanos(Wire.FOREVER); }

    @Override public E poll(long timeout, TimeUnit unit) throws InterruptedException { return pollNanos(Wire.nanos(timeout, unit)); }

    @Override
    public E poll() {
        try {
            return pollNanos(0);
        } catch (InterruptedException x) {
            throw new AssertionError("a non-blocking get cannot be interrupted", x);
        }
    }

    @Override
    public E remove() {
        E e = poll();
        if (e == null) throw new NoSuchElementException("the queue is empty");
        return e;
    }

    @Override public E peek() { return call(QueueServant.PEEK, ManagerClient.Args.NONE, in -> Wire.absentNext(in) ? null : element(in)); }

    @Override
    public E element() {
        E e = peek();
        if (e == null) throw new NoSuchElementException("the queue is empty");
        return e;
    }

    @Override
    public int remainingCapacity() {
        int max = maxsize();
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - size());
    }

    @Override public int size() { return call(QueueServant.SIZE, ManagerClient.Args.NONE, WireBuffer::readInt); }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override public boolean remove(Object o) { return call(QueueServant.REMOVE, out -> Wire.writeBlob(out, o), WireBuffer::readBoolean); }

    @Override public boolean contains(Object o) { return snapshot().contains(o); }

    @Override public boolean containsAll(Collection<?> c) { return snapshot().containsAll(c); }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        if (c == this) throw new IllegalArgumentException("cannot add a queue to itself");
        boolean changed = false;
        for (E e : c) changed |= add(e);
        return changed;
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        boolean changed = false;
        for (Object o : c) while (remove(o)) changed = true;
        return changed;
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        boolean changed = false;
        for (E e : snapshot()) if (!c.contains(e)) changed |= remove(e);
        return changed;
    }

    @Override public void clear() { call(QueueServant.CLEAR, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    @Override public int drainTo(Collection<? super E> c) { return drainTo(c, Integer.MAX_VALUE); }

    /** Takes up to {@code maxElements} items in one request and adds them to {@code c}. */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        if (maxElements <= 0) return 0;
        List<E> taken = call(QueueServant.DRAIN, out -> out.writeInt(maxElements), in -> {
            int n = in.readInt();
            List<E> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) l.add(element(in));
            return l;
        });
        c.addAll(taken);
        return taken.size();
    }

    /**
     * The items now in the queue, in order, in one request (they stay in it).
     *
     * @return a copy of the items, oldest first
     */
    public List<E> snapshot() {
        return call(QueueServant.ALL, ManagerClient.Args.NONE, in -> {
            int n = in.readInt();
            List<E> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) l.add(element(in));
            return l;
        });
    }

    /** Iterates a snapshot; {@code remove} removes that item (its first occurrence) from the queue. */
    @Override public Iterator<E> iterator() { return Snapshots.iterator(snapshot(), this::remove); }

    @Override public Object[] toArray() { return snapshot().toArray(); }

    @Override public <T> T[] toArray(T[] a) { return snapshot().toArray(a); }

    /** The items now in the queue ({@code [a, b]}). */
    @Override public String toString() { return snapshot().toString(); }
}
