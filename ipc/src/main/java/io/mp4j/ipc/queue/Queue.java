package io.mp4j.ipc.queue;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.mp4j.ipc.codec.Shareable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A first-in first-out queue shared by any number of producer and consumer processes: Python's
 * {@code multiprocessing.Queue}, and a {@link BlockingQueue}.
 * <pre>{@code
 * Queue<Integer> q = ctx.queue(Integer.class);
 * MpProcess child = ctx.process(Worker::square, q);   // the queue travels as an argument
 * child.start();
 * q.put(5);
 * int first = q.get();
 * }</pre>
 *
 * <p><b>Delivery.</b> Every item put is got exactly once, by one consumer, whatever the number of
 * producers and consumers and the processes they run in; the items of one producer thread are got in the
 * order it put them (the queue is FIFO across all producers, in the order their puts completed). Once
 * {@code put} returns, the item is stored in the queue's files: it survives the death of the producer
 * and of every consumer that has not returned it from {@code get}. A consumer process that dies inside
 * {@code get}, after claiming an item and before returning it, leaves the item to the others: a consumer
 * that finds the queue empty, or waits in {@code get}, takes it over within some 100 ms (such an item comes
 * after those put before it was found). A producer killed inside {@code put} of a bounded queue, after taking
 * a slot and before storing its item, leaves that slot taken (the capacity shrinks by one); in a
 * {@link JoinableQueue} it leaves the count of unfinished tasks one too high, so {@code join} waits for
 * ever, as Python's would.
 *
 * <p><b>Items.</b> Items are encoded against the declared element type in the caller's thread, so an item
 * that cannot travel, or that no consumer would accept (an unregistered class under a wider declared type,
 * see {@link io.mp4j.ipc.codec.Codec}), fails in {@code put}, with nothing stored; {@code put} writes synchronously (there is
 * no feeder thread, hence nothing like Python's {@code join_thread}). An item may encode to at most 1 GiB (the
 * system property {@code mp4j.queue.maxItemBytes} sets another limit); a larger one fails in {@code put} with an
 * {@link IllegalArgumentException} naming its size and the limit, with nothing stored. Items over 1 MiB travel
 * in a file of their own beside the queue's log, deleted once the item is got. {@code null} is refused, as in
 * every {@code BlockingQueue}: use a sentinel value of the element type where Python code puts {@code None}.
 *
 * <p><b>Shutdown.</b> Python 3.13's {@code shutdown(immediate)}: {@link #shutdown()} makes every later put
 * fail with {@link QueueShutDownException}, in every process, and every get once the queue is empty;
 * {@link #shutdown(boolean) shutdown(true)} also drops the items left (marking their tasks done in a
 * {@link JoinableQueue}), so gets fail at once. Both wake every put and get waiting in any process. Every
 * method form throws {@code QueueShutDownException} where Python raises {@code ShutDown}, including
 * {@code offer} and {@code poll}.
 *
 * <p><b>Method forms.</b> Python's ({@code put(item, block, timeout)}, {@code get(block, timeout)},
 * {@code putNowait}, {@code getNowait}, which throw {@link QueueFullException} / {@link QueueEmptyException}
 * as Python raises {@code Full} / {@code Empty}) and {@code BlockingQueue}'s ({@code offer}/{@code poll}
 * return {@code false}/{@code null}; {@code put}/{@code take} block; {@code add}/{@code remove} throw).
 * Every blocking method throws {@link InterruptedException} if the thread is interrupted on entry or while
 * waiting, and then neither puts nor takes an item.
 *
 * <p><b>Visibility.</b> Everything a producer did before {@code put} returned happens-before what the
 * consumer does after its {@code get} of that item returns, in the same JVM; across JVMs, the item and
 * the counters behind {@code qsize} are visible to every process once {@code put} returns.
 * {@code qsize}, {@code isEmpty} and {@code isFull} are snapshots, as in Python; they come from counters in
 * the shared control file. An item counts until a {@code get} returns it (an item claimed by a consumer that
 * died still counts until another consumer takes it over); a consumer killed in the instant between marking
 * its item returned and counting it leaves {@code qsize} one too high for good (and a bounded queue one slot
 * smaller). After {@link #close()}, they throw {@link IllegalStateException} as {@code get} and {@code put} do.
 *
 * <p>Collection views that would need to see into the whole queue ({@code iterator}, {@code contains},
 * {@code toArray}, {@code remove(Object)}) are not supported across processes and throw
 * {@link UnsupportedOperationException}. Thread-safe.
 *
 * @param <E> the element type, declared when the queue is made
 */
@JsonSerialize(using = QueueJson.Serializer.class)
@JsonDeserialize(using = QueueJson.QueueDeserializer.class)
public class Queue<E> extends AbstractQueue<E> implements io.mp4j.shared.MpQueue<E>, Shareable {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Queue.class, QueueHandle.class, Queue::handle, Queue::attach);
    }

    final QueueCore core;

    Queue(QueueCore core) { this.core = core; }

    /**
     * Makes a queue in {@code resourceDir} (a context's private directory) holding items of
     * {@code elementType}; {@code maxsize} 0 means unbounded. Applications call their context's
     * {@code queue(...)} instead.
     *
     * @throws IllegalArgumentException for a negative {@code maxsize}
     * @param <E> the type of the items
     * @param resourceDir the directory the queue's files go into
     * @param elementType the class of the items
     * @param maxsize the most items it holds (0: unbounded)
     * @return the new queue
     */
    public static <E> Queue<E> create(Path resourceDir, Class<E> elementType, int maxsize) {
        return new Queue<>(QueueCore.create(resourceDir, elementType, QueueLayout.KIND_QUEUE, maxsize));
    }

    /**
     * Re-attaches a queue in another process from its handle (used by the codec).
     *
     * @param handle the handle that travelled
     * @return the same queue, in this process
     */
    public static Queue<?> attach(QueueHandle handle) {
        return new Queue<>(QueueCore.attach(handle, QueueLayout.KIND_QUEUE));
    }

    /**
     * The handle this queue travels as.
     *
     * @return the handle
     */
    public QueueHandle handle() { return core.handle(); }

    /**
     * The element type declared when the queue was made.
     *
     * @return the element type
     */
    @SuppressWarnings("unchecked")
    public Class<E> elementType() { return (Class<E>) core.elementType; }

    /**
     * The maximum number of items, or 0 when unbounded.
     *
     * @return the maximum, or 0
     */
    public int maxsize() { return (int) Math.max(0, core.maxsize); }

    // ------------------------------------------------------------------ Python's forms

    /**
     * Python's {@code put(item, block, timeout)}: with {@code block} false, puts only if there is room now;
     * otherwise waits for room at most {@code timeout} ({@code null}: without limit; zero or negative: not at all).
     *
     * @throws QueueFullException when there was no room
     * @param item the item, not null
     * @param block whether to wait for room
     * @param timeout the longest wait, or null for none
     * @throws InterruptedException if interrupted while waiting (nothing is put)
     */
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        if (!core.put(item, toNanos(block, timeout))) {
            throw new QueueFullException("queue full: maxsize=" + core.maxsize + (block ? " after waiting " + timeout : ""));
        }
    }

    /**
     * Python's {@code put_nowait(item)}.
     *
     * @throws QueueFullException when there is no room now
     * @param item the item, not null
     */
    public void putNowait(E item) {
        try {
            put(item, false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Python's {@code get()}: waits for an item and takes it (the same as {@link #take()}).
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting (nothing is taken)
     */
    public E get() throws InterruptedException { return take(); }

    /**
     * Python's {@code get(block, timeout)}: with {@code block} false, takes an item only if one is there
     * now; otherwise waits at most {@code timeout} ({@code null}: without limit; zero or negative: not at all).
     *
     * @throws QueueEmptyException when no item came
     * @param block whether to wait for an item
     * @param timeout the longest wait, or null for none
     * @return the item
     * @throws InterruptedException if interrupted while waiting (nothing is taken)
     */
    @SuppressWarnings("unchecked")
    public E get(boolean block, Duration timeout) throws InterruptedException {
        Object item = core.get(toNanos(block, timeout));
        if (item == ItemLog.NONE) throw new QueueEmptyException("queue empty" + (block ? " after waiting " + timeout : ""));
        return (E) item;
    }

    /**
     * Python's {@code get_nowait()}.
     *
     * @throws QueueEmptyException when no item is there now
     * @return the item
     */
    @SuppressWarnings("unchecked")
    public E getNowait() {
        try {
            return get(false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Python's {@code qsize()}: the approximate number of items in the queue.
     *
     * @return the number of items
     * @throws IllegalStateException when this queue object is closed
     */
    public int qsize() { return core.qsize(); }

    /**
     * Python's {@code empty()}: whether the queue is (approximately) empty.
     *
     * @return whether it is empty
     * @throws IllegalStateException when this queue object is closed
     */
    @Override
    public boolean isEmpty() { return core.qsize() == 0; }

    /**
     * Python's {@code full()}: whether a bounded queue is (approximately) full; always false when unbounded.
     *
     * @return whether it is full
     * @throws IllegalStateException when this queue object is closed
     */
    public boolean isFull() { return core.isFull(); }

    /** Python 3.13's {@code shutdown()}: {@code shutdown(false)}. */
    public void shutdown() { core.shutdown(false); }

    /**
     * Python 3.13's {@code shutdown(immediate)}, for every process using the queue: puts fail from now on with
     * {@link QueueShutDownException}; gets take the items left and then fail, or with {@code immediate} the items
     * left are dropped (in a {@link JoinableQueue}, marked done, which may end a {@code join}) and gets fail at
     * once. Every put and get waiting, in any process, wakes and fails (within {@code WaitStrategy}'s 50 ms
     * slice at worst). Calling it again is allowed ({@code immediate} after a plain shutdown drops the rest).
     *
     * @param immediate whether to drop the items left and fail every get at once
     * @throws IllegalStateException when this queue object is closed
     */
    public void shutdown(boolean immediate) { core.shutdown(immediate); }

    /**
     * Whether the queue was shut down (by any process).
     *
     * @return whether it was shut down
     */
    public boolean isShutDown() { return core.isShutDown(); }

    /**
     * Releases this process's use of the queue (Python's {@code close()}): later calls on this object throw
     * {@link IllegalStateException}. The items, and the other processes' use, are not affected.
     */
    @Override
    public void close() { core.close(); }

    // ------------------------------------------------------------------ BlockingQueue

    @Override
    public void put(E item) throws InterruptedException { core.put(item, -1); }

    @Override
    public boolean offer(E item) {
        try {
            return core.put(item, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        return core.put(item, Math.max(0, unit.toNanos(timeout)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public E take() throws InterruptedException { return (E) core.get(-1); }

    @Override
    public E poll() {
        try {
            return orNull(core.get(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return orNull(core.get(Math.max(0, unit.toNanos(timeout))));
    }

    /** The oldest item not yet taken, without taking it, or {@code null}; another consumer may take it next. */
    @Override
    public E peek() { return orNull(core.peek()); }

    @Override
    public boolean add(E item) {
        if (offer(item)) return true;
        throw new QueueFullException("queue full: maxsize=" + core.maxsize);
    }

    @Override
    public E remove() {
        E item = poll();
        if (item == null) throw new QueueEmptyException("queue empty");
        return item;
    }

    @Override
    public int remainingCapacity() { return core.remainingCapacity(); }

    /** The same as {@link #qsize()}. @throws IllegalStateException when this queue object is closed */
    @Override
    public int size() { return core.qsize(); }

    @Override
    public int drainTo(Collection<? super E> c) { return drainTo(c, Integer.MAX_VALUE); }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "collection");
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        int n = 0;
        E item;
        while (n < maxElements && (item = poll()) != null) {
            c.add(item);
            n++;
        }
        return n;
    }

    /** Not supported: the items live in other processes too. */
    @Override
    public Iterator<E> iterator() {
        throw new UnsupportedOperationException("a cross-process queue cannot be iterated: use poll or drainTo");
    }

    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("a cross-process queue cannot remove an arbitrary item: use poll");
    }

    @Override
    public String toString() {
        if (core.isClosed()) return getClass().getSimpleName() + "[" + core.dir + ", closed]";
        return getClass().getSimpleName() + "[" + core.dir + ", qsize=" + core.qsizeNow()
                + (core.bounded() ? ", maxsize=" + core.maxsize : "") + "]";
    }

    @SuppressWarnings("unchecked")
    private static <E> E orNull(Object item) { return item == ItemLog.NONE ? null : (E) item; }

    static long toNanos(boolean block, Duration timeout) {
        if (!block) return 0;
        if (timeout == null) return -1;
        return timeout.isNegative() || timeout.isZero() ? 0 : timeout.toNanos(); // zero or less: does not wait
    }
}
