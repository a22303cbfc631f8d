package io.mp4j.ipc.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;

import java.nio.file.Path;

/**
 * An unbounded first-in first-out queue with only the essentials: Python's
 * {@code multiprocessing.SimpleQueue} ({@code put}, {@code get}, {@code empty}, {@code close}).
 * Delivery is as for {@link Queue}: every item got exactly once, in each producer's order; it survives the
 * death of the producer once {@code put} returned, and of every consumer that has not returned it from
 * {@code get} (an item claimed by a consumer that died inside {@code get} goes to another consumer).
 * <pre>{@code
 * SimpleQueue<String> q = ctx.simpleQueue(String.class);
 * q.put("hello");
 * String s = q.get();
 * }</pre>
 * Thread-safe. {@code null} is refused (use a sentinel value).
 *
 * @param <E> the element type, declared when the queue is made
 */
public final class SimpleQueue<E> implements Shareable, AutoCloseable {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(SimpleQueue.class, QueueHandle.class, SimpleQueue::handle, SimpleQueue::attach);
    }

    private final QueueCore core;

    private SimpleQueue(QueueCore core) { this.core = core; }

    /**
     * Makes a simple queue in a context's private directory; applications call {@code ctx.simpleQueue(...)}.
     *
     * @param <E> the type of the items
     * @param resourceDir the directory the queue's files go into
     * @param elementType the class of the items
     * @return the new queue
     */
    public static <E> SimpleQueue<E> create(Path resourceDir, Class<E> elementType) {
        return new SimpleQueue<>(QueueCore.create(resourceDir, elementType, QueueLayout.KIND_SIMPLE, 0));
    }

    /**
     * Re-attaches a simple queue in another process from its handle (used by the codec).
     *
     * @param handle the handle that travelled
     * @return the same queue, in this process
     */
    @JsonCreator
    public static SimpleQueue<?> attach(QueueHandle handle) {
        return new SimpleQueue<>(QueueCore.attach(handle, QueueLayout.KIND_SIMPLE));
    }

    /**
     * The handle this queue travels as.
     *
     * @return the handle
     */
    @JsonValue
    public QueueHandle handle() { return core.handle(); }

    /**
     * The element type declared when the queue was made.
     *
     * @return the element type
     */
    @SuppressWarnings("unchecked")
    public Class<E> elementType() { return (Class<E>) core.elementType; }

    /**
     * Puts an item; never waits (the queue is unbounded). The item is encoded here: one that cannot travel
     * fails in this call, and nothing is stored.
     *
     * @param item the item, not null
     */
    public void put(E item) {
        try {
            core.put(item, -1);
        } catch (InterruptedException e) {
            // an unbounded put never waits
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for an item and takes it.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting (nothing is taken)
     */
    @SuppressWarnings("unchecked")
    public E get() throws InterruptedException { return (E) core.get(-1); }

    /**
     * Python's {@code empty()}.
     *
     * @return whether it is empty
     * @throws IllegalStateException when this queue object is closed
     */
    public boolean isEmpty() { return core.qsize() == 0; }

    /** Releases this process's use of the queue; later calls on this object throw {@link IllegalStateException}. */
    @Override
    public void close() { core.close(); }

    @Override
    public String toString() { return "SimpleQueue[" + core.dir + "]"; }
}
