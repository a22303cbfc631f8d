package io.mp4j.ipc.queue;

/**
 * What the queue tests of this module may observe of a queue's shared state: how many threads of every process
 * sleep on it. (In the queue's package, so that it reaches the package-private counters.)
 */
public final class QueueProbe {
    private QueueProbe() {}

    /** Putters of every process asleep on the full bounded queue {@code q}. */
    public static int sleepingPutters(Queue<?> q) { return q.core.sleepingPutters(); }

    /** Getters of every process asleep on the empty queue {@code q}. */
    public static int sleepingGetters(Queue<?> q) { return q.core.sleepingGetters(); }
}
