package io.mp4j.bench.figures;

import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.queue.Queue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * What a few figures read of the library's internals, by reflection (the library does not publish them): the
 * number of threads asleep on a queue, and a connection end's poll budget. Figures only; a test reads them
 * from the package itself.
 */
final class Internals {
    private Internals() {}

    /** Getters ({@code "sleepingGetters"}) or putters ({@code "sleepingPutters"}) of every process asleep on {@code q}. */
    static int sleeping(Queue<?> q, String which) {
        try {
            Field core = Queue.class.getDeclaredField("core");
            core.setAccessible(true);
            Object c = core.get(q);
            Method m = c.getClass().getDeclaredMethod(which);
            m.setAccessible(true);
            return (Integer) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + which + " of a queue: " + e, e);
        }
    }

    /** The poll budget of the receiving side of {@code c}, in nanoseconds. */
    static long pollBudgetNanos(Connection c) {
        try {
            Method receiver = Connection.class.getDeclaredMethod("receiver");
            receiver.setAccessible(true);
            Object r = receiver.invoke(c);
            Method spin = r.getClass().getDeclaredMethod("spinNanos");
            spin.setAccessible(true);
            return (Long) spin.invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the poll budget of a connection: " + e, e);
        }
    }
}
