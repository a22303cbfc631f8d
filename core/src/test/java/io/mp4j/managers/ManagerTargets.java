package io.mp4j.managers;

import io.mp4j.Multiprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What manager tests run in children and pool workers, and the registered type they share. */
public final class ManagerTargets {
    private ManagerTargets() {}

    /** A registered type: reached through this interface. */
    public interface Counter {
        int add(int by);

        int value();

        /** Throws IllegalArgumentException for a negative amount. */
        void subtract(int by);

        Point where(Point p);
    }

    public record Point(int x, int y) {}

    /** The server-side implementation. */
    public static final class CounterImpl implements Counter {
        private final AtomicInteger n = new AtomicInteger();

        @Override public int add(int by) { return n.addAndGet(by); }

        @Override public int value() { return n.get(); }

        @Override public void subtract(int by) {
            if (by < 0) throw new IllegalArgumentException("negative amount: by=" + by);
            n.addAndGet(-by);
        }

        @Override public Point where(Point p) { return new Point(p.x() + 1, p.y() + 1); }

        @Override public String toString() { return "Counter(" + n.get() + ")"; }
    }

    /** One proxy of each type, travelling together (a record of proxies). */
    public record Proxies(DictProxy<String, Object> dict, ListProxy<String> list, Namespace ns, QueueProxy<String> queue,
                          JoinableQueueProxy<Integer> jqueue, LockProxy lock, RLockProxy rlock, SemaphoreProxy sem,
                          BoundedSemaphoreProxy bsem, ConditionProxy cond, EventProxy event, BarrierProxy barrier,
                          ValueProxy value, ArrayProxy array, AutoProxy<Counter> counter) {}

    /**
     * Uses every proxy, in the order {@code ManagerProxiesTest.parentSide} waits for: data first, then the
     * queue, the joinable queue, the semaphore, the event, the condition and the barrier. Returns what it saw.
     */
    @SuppressWarnings("unchecked")
    public static String exercise(Proxies p) throws Exception {
        List<String> seen = new ArrayList<>();
        String me = Multiprocessing.currentProcess().getName();
        p.dict().put("from", me);
        ((List<String>) p.dict().get("nested")).add("from " + me);
        List<Integer> plain = (List<Integer>) p.dict().get("plain");
        plain.add(2); // a copy: the manager's list stays [1]
        seen.add("plain copy " + plain);
        p.list().add(me);
        p.ns().set("seen", true);
        p.value().set(42);
        p.array().set(1, 7);
        seen.add("counter " + p.counter().get().add(5));
        p.lock().unlock(); // the parent took it: any process may release a Lock
        p.rlock().lock();
        p.rlock().lock();
        seen.add("rlock holds " + p.rlock().getHoldCount());
        p.rlock().unlock();
        p.rlock().unlock();
        p.bsem().acquire();
        p.bsem().release();
        try {
            p.bsem().release();
        } catch (IllegalStateException e) {
            seen.add("bounded");
        }
        p.queue().put("hello");
        seen.add("took " + p.jqueue().poll(30, TimeUnit.SECONDS));
        p.jqueue().taskDone();
        p.sem().release();
        p.event().set();
        p.cond().acquire();
        try {
            p.ns().set("ready", 1);
            p.cond().signalAll();
        } finally {
            p.cond().release();
        }
        seen.add("barrier " + p.barrier().await(30, TimeUnit.SECONDS));
        return String.join(", ", seen);
    }

    /** A child's target: {@link #exercise}, its report put in the dict. */
    public static void exerciseInChild(Proxies p) throws Exception {
        p.dict().put("report", exercise(p));
    }

    /** The one counter a server process serves to every client (Python's {@code register('get_queue', lambda: queue)}). */
    private static final Counter SHARED = new CounterImpl();

    public static Counter sharedCounter() { return SHARED; }

    /** Exit code of {@link #takeOrExit} when the manager went away while it waited. */
    public static final int SAW_UNAVAILABLE = 3;

    /** Raises {@code waiting}, then blocks on the queue: exits {@link #SAW_UNAVAILABLE} when the manager goes away. */
    public static void takeOrExit(QueueProxy<String> q, EventProxy waiting) throws InterruptedException {
        try {
            waiting.set(); // (the manager may be killed before this call has its answer)
            q.take();
        } catch (ManagerUnavailableException e) {
            Multiprocessing.exit(SAW_UNAVAILABLE);
        }
    }

    /**
     * Puts in {@code d} whether this JVM has built the codec's Jackson mapper ({@code 1}) or not ({@code 0}), before
     * anything else uses it: what decoding its launch cost it.
     */
    public static void reportJacksonMapper(DictProxy<String, Integer> d) throws ReflectiveOperationException {
        var findLoaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        findLoaded.setAccessible(true); // java.lang is open to a child JVM (JvmFlags.CHILD)
        boolean built = findLoaded.invoke(io.mp4j.ipc.codec.Codec.class.getClassLoader(), "io.mp4j.ipc.codec.Codec$MapperHolder") != null;
        d.put("mapper", built ? 1 : 0);
    }

    /** A child of the second JVM: adds to the counter and puts its name in the dict. */
    public static void remoteChild(AutoProxy<Counter> counter, DictProxy<String, Integer> d) {
        d.put("child", counter.get().add(100));
    }
}
