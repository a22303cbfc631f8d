package io.mp4j;

import io.mp4j.ipc.queue.Queue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * What the queue tests of this module may observe of a queue's shared state: how many threads of every process
 * sleep on it. The counters are package-private in ipc, and this module's tests cannot live in ipc's package (the
 * tests compile into the module io.mp4j), so they are read reflectively; the tests run on the class path.
 */
final class QueueProbe {
    private QueueProbe() {}

    /** Putters of every process asleep on the full bounded queue {@code q}. */
    static int sleepingPutters(Queue<?> q) { return count(q, "sleepingPutters"); }

    /** Getters of every process asleep on the empty queue {@code q}. */
    static int sleepingGetters(Queue<?> q) { return count(q, "sleepingGetters"); }

    private static int count(Queue<?> q, String counter) {
        try {
            Field f = Queue.class.getDeclaredField("core");
            f.setAccessible(true);
            Object core = f.get(q);
            Method m = core.getClass().getDeclaredMethod(counter);
            m.setAccessible(true);
            return (int) m.invoke(core);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the queue's " + counter + " counter is not readable: " + e, e);
        }
    }
}
