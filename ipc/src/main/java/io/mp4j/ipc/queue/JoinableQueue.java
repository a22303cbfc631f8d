package io.mp4j.ipc.queue;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link Queue} that also counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}.
 * Every {@code put} adds one; a consumer calls {@link #taskDone()} once per item it has processed, and
 * {@link #join()} waits until the count is back to zero.
 * <pre>{@code
 * JoinableQueue<Integer> q = ctx.joinableQueue(Integer.class);
 * // workers:  while (true) { int v = q.get(); work(v); q.taskDone(); }
 * for (int i = 1; i <= 10; i++) q.put(i);
 * q.join();   // every item processed
 * }</pre>
 * The count lives in the queue's shared control file, so {@code taskDone} and {@code join} work from any
 * process. Everything a consumer did before {@code taskDone} is visible to the thread that returns from
 * {@code join} when both run in one JVM.
 *
 * @param <E> the element type, declared when the queue is made
 */
@JsonDeserialize(using = QueueJson.JoinableDeserializer.class)
public class JoinableQueue<E> extends Queue<E> implements io.mp4j.shared.MpJoinableQueue<E> {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(JoinableQueue.class, QueueHandle.class, JoinableQueue::handle, JoinableQueue::attach);
    }

    JoinableQueue(QueueCore core) { super(core); }

    /**
     * Makes a joinable queue in a context's private directory; applications call {@code ctx.joinableQueue(...)}.
     *
     * @param <E> the type of the items
     * @param resourceDir the directory the queue's files go into
     * @param elementType the class of the items
     * @param maxsize the most items it holds (0: unbounded)
     * @return the new queue
     */
    public static <E> JoinableQueue<E> create(Path resourceDir, Class<E> elementType, int maxsize) {
        return new JoinableQueue<>(QueueCore.create(resourceDir, elementType, QueueLayout.KIND_JOINABLE, maxsize));
    }

    /**
     * Re-attaches a joinable queue in another process from its handle (used by the codec).
     *
     * @param handle the handle that travelled
     * @return the same queue, in this process
     */
    public static JoinableQueue<?> attach(QueueHandle handle) {
        return new JoinableQueue<>(QueueCore.attach(handle, QueueLayout.KIND_JOINABLE));
    }

    /**
     * Python's {@code task_done()}: marks one item taken from the queue as processed.
     *
     * @throws IllegalStateException when called more times than items were put (Python's {@code ValueError})
     */
    public void taskDone() {
        core.checkOpen();
        core.taskDone();
    }

    /**
     * Python's {@code join()}: waits until every item put has been marked done with {@link #taskDone()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException { core.join(-1); }

    /**
     * Waits at most {@code timeout} for every item to be marked done; returns whether they all were
     * (zero or negative: does not wait).
     *
     * @param timeout the longest wait
     * @return whether every item was done
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return core.join(Math.max(0, timeout.toNanos()));
    }

    /**
     * The number of items put and not yet marked done.
     *
     * @return the count
     */
    public long unfinishedTasks() { return core.unfinished(); }
}
