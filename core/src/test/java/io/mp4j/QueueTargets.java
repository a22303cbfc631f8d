package io.mp4j;

import io.mp4j.ipc.queue.JoinableQueue;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.queue.QueueEmptyException;
import io.mp4j.ipc.queue.SimpleQueue;

import java.time.Duration;
import java.util.Arrays;

/** Targets that the queue tests run in child processes. */
public final class QueueTargets {
    private QueueTargets() {}

    /** Puts {@code producer << 32 | i} for i in [0, n), then the sentinel -1. */
    public static void produce(Queue<Long> q, int producer, int n) throws InterruptedException {
        long base = (long) producer << 32;
        for (int i = 0; i < n; i++) q.put(base | i);
        q.put(-1L);
    }

    /** Takes until the sentinel -1 and reports everything it took, in order. */
    public static void consume(Queue<Long> q, SimpleQueue<long[]> results) throws InterruptedException {
        long[] got = new long[1024];
        int n = 0;
        for (long v; (v = q.take()) != -1L; ) {
            if (n == got.length) got = Arrays.copyOf(got, n * 2);
            got[n++] = v;
        }
        results.put(Arrays.copyOf(got, n));
    }

    /** A timed get on the (empty) queue, reported as -1; then echoes {@code count} items times ten. */
    public static void timedThenEcho(Queue<Integer> in, Queue<Integer> out, int count) throws InterruptedException {
        try {
            in.get(true, Duration.ofMillis(100));
            out.put(-2);
        } catch (QueueEmptyException e) {
            out.put(-1);
        }
        for (int i = 0; i < count; i++) out.put(in.get() * 10);
    }

    /** Puts 0..n-1 into a bounded queue (blocking when full), then reports done. */
    public static void produceInts(Queue<Integer> q, int n, Queue<Integer> done) throws InterruptedException {
        for (int i = 0; i < n; i++) q.put(i);
        done.put(n);
    }

    /** Puts 0..n-1, reports that put returned for all, then waits to be killed. */
    public static void produceThenHang(Queue<Integer> q, int n, Queue<Integer> ready) throws InterruptedException {
        for (int i = 0; i < n; i++) q.put(i);
        ready.put(n);
        Thread.sleep(120_000); // behaviour: hangs until the test kills this process
    }

    /** Takes items forever, reporting each one taken, until killed. */
    public static void consumeForever(Queue<Integer> q, Queue<Integer> seen) throws InterruptedException {
        for (;;) seen.put(q.take());
    }

    /** A JoinableQueue worker: squares each item into {@code done}, then marks it done; stops at a negative item. */
    public static void joinableWorker(JoinableQueue<Integer> q, SimpleQueue<Integer> done) throws InterruptedException {
        for (;;) {
            int v = q.get();
            if (v < 0) {
                q.taskDone();
                return;
            }
            done.put(v * v);
            q.taskDone();
        }
    }

    /**
     * An item whose decoding, in a process that set {@link #trap}, runs the trap once and then stalls for good:
     * a consumer held between claiming an item and returning it from {@code get}, where a test kills it.
     */
    public record Stalling(int v) {
        static volatile Runnable trap;

        public Stalling {
            Runnable t = trap;
            if (t != null) {
                trap = null;
                t.run();
                for (;;) java.util.concurrent.locks.LockSupport.park(); // behaviour: stopped inside get until killed
            }
        }
    }

    /** Gets one item from {@code q}, whose decoding reports on {@code stalled} and then stalls until killed. */
    public static void stallInsideGet(Queue<Stalling> q, Queue<Integer> stalled) throws InterruptedException {
        Stalling.trap = () -> stalled.offer(1);
        q.get();
    }

    /** Echoes items until its get fails with ShutDown, then reports -1, and -2 if a put then fails too. */
    public static void echoUntilShutDown(Queue<Integer> q, Queue<Integer> out) throws InterruptedException {
        try {
            for (;;) out.put(q.get());
        } catch (io.mp4j.ipc.queue.QueueShutDownException e) {
            out.put(-1);
        }
        try {
            q.put(5);
        } catch (io.mp4j.ipc.queue.QueueShutDownException e) {
            out.put(-2);
        }
    }

    /** Puts 0, 1, 2... until killed. */
    public static void produceForever(Queue<Integer> q) throws InterruptedException {
        for (int i = 0; ; i++) q.put(i);
    }
}
