package io.mp4j.shared;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * Python's {@code multiprocessing.Queue}: a FIFO queue shared by processes, each item taken by exactly one
 * consumer, bounded by {@link #maxsize()} (0: unbounded). A {@link BlockingQueue}, with Python's method forms
 * beside it. Items are encoded by the library's codec against the queue's element type when put, and decoded when
 * taken: what cannot travel fails in {@code put}, naming it.
 *
 * <p>Interrupts: the blocking forms throw {@link InterruptedException}. Visibility: what a process wrote before
 * putting an item is visible to the process that takes it (for shared objects; the item itself is a copy).
 *
 * @param <E> the element type
 */
public interface MpQueue<E> extends BlockingQueue<E>, AutoCloseable {
    /**
     * The type items are decoded against.
     *
     * @return the element type
     */
    Class<E> elementType();

    /**
     * The bound.
     *
     * @return the most items the queue holds, 0 for no bound
     */
    int maxsize();

    /**
     * Python's {@code put(item, block, timeout)}: with {@code block} false, or when {@code timeout} (null: none)
     * runs out while the queue is full, throws {@code QueueFullException}.
     *
     * @param item the item, encoded here
     * @param block whether to wait for room
     * @param timeout how long to wait at most, or null for no limit
     * @throws InterruptedException if interrupted while waiting
     */
    void put(E item, boolean block, Duration timeout) throws InterruptedException;

    /**
     * Python's {@code put_nowait(item)}: {@code QueueFullException} when full.
     *
     * @param item the item, encoded here
     */
    void putNowait(E item);

    /**
     * Python's {@code get()}: waits for an item.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting
     */
    E get() throws InterruptedException;

    /**
     * Python's {@code get(block, timeout)}: {@code QueueEmptyException} when nothing came.
     *
     * @param block whether to wait for an item
     * @param timeout how long to wait at most, or null for no limit
     * @return the item
     * @throws InterruptedException if interrupted while waiting
     */
    E get(boolean block, Duration timeout) throws InterruptedException;

    /**
     * Python's {@code get_nowait()}: {@code QueueEmptyException} when empty.
     *
     * @return the item
     */
    E getNowait();

    /**
     * Python's {@code qsize()}: the items now (a snapshot).
     *
     * @return the number of items
     */
    int qsize();

    /**
     * Python's {@code full()}.
     *
     * @return whether a put would wait now
     */
    boolean isFull();

    /** Python's {@code close()}: this process puts no more; the queue itself stays for the others. */
    @Override void close();
}
