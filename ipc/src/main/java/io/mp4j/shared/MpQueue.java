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
    /** The type items are decoded against. */
    Class<E> elementType();

    /** The bound, 0 for none. */
    int maxsize();

    /**
     * Python's {@code put(item, block, timeout)}: with {@code block} false, or when {@code timeout} (null: none)
     * runs out while the queue is full, throws {@code QueueFullException}.
     */
    void put(E item, boolean block, Duration timeout) throws InterruptedException;

    /** Python's {@code put_nowait(item)}: {@code QueueFullException} when full. */
    void putNowait(E item);

    /** Python's {@code get()}: waits for an item. */
    E get() throws InterruptedException;

    /** Python's {@code get(block, timeout)}: {@code QueueEmptyException} when nothing came (null timeout: none). */
    E get(boolean block, Duration timeout) throws InterruptedException;

    /** Python's {@code get_nowait()}: {@code QueueEmptyException} when empty. */
    E getNowait();

    /** Python's {@code qsize()}: the items now (a snapshot). */
    int qsize();

    /** Python's {@code full()}. */
    boolean isFull();

    /** Python's {@code close()}: this process puts no more; the queue itself stays for the others. */
    @Override void close();
}
