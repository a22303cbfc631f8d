package io.mp4j.managers;

import io.mp4j.ipc.wire.WireBuffer;

import java.time.Duration;

/**
 * A {@link QueueProxy} whose consumers say when each item is done (Python's {@code manager.JoinableQueue()}):
 * every put adds an unfinished task, {@link #taskDone()} finishes one, {@link #join()} waits until none is left.
 * <pre>{@code
 * JoinableQueueProxy<Integer> q = manager.joinableQueue(Integer.class);
 * // consumers: int item = q.take(); work(item); q.taskDone();
 * q.join();
 * }</pre>
 *
 * @param <E> the type of the elements
 */
public final class JoinableQueueProxy<E> extends QueueProxy<E> {
    JoinableQueueProxy(Token token) { super(token); }

    /**
     * Python's {@code task_done()}: one taken item is finished.
     *
     * @throws IllegalStateException when called more times than items were put
     */
    public void taskDone() { call(QueueServant.TASK_DONE, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /**
     * Waits until every item put has been marked done; interruptible (see {@link QueueProxy}).
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public void join() throws InterruptedException {
        callInterruptibly(QueueServant.JOIN, out -> out.writeLong(Wire.FOREVER), WireBuffer::readBoolean);
    }

    /**
     * Waits at most {@code timeout} until every item put has been marked done; whether they all were.
     *
     * @param timeout the longest wait
     * @return whether every item was marked done before the time was up
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        return callInterruptibly(QueueServant.JOIN, out -> out.writeLong(nanos), WireBuffer::readBoolean);
    }

    /**
     * The items put and not yet marked done.
     *
     * @return how many items put are not yet marked done
     */
    public long unfinishedTasks() { return call(QueueServant.UNFINISHED, ManagerClient.Args.NONE, WireBuffer::readLong); }
}
