package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.queue.Queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code queue_burst_wake_ms}: how soon every waiter of a burst wakes. Four getters asleep on an empty queue get a
 * burst of four items ({@code .getters}), or four putters asleep on a full bounded queue see four slots freed
 * ({@code .putters}); a sample is the slowest waiter's delay in one burst. A put wakes one sleeper and each woken
 * getter wakes the next while items are left: a waiter left asleep would notice only when its sleep slice ends
 * (50 ms). Threads of one JVM stand in for processes (the waking is the same), so only under {@code thread}.
 * Target: at most 10 ms (the median burst). Formerly a timed assertion of the queue's unit tests.
 */
public final class QueueWakeFigure implements Figure {
    static final String F = "queue_burst_wake_ms";
    private static final int WAITERS = 4;

    @Override public String key() { return "queue_wake"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return method.equals("thread"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int rounds = p.get("x_queue_wake_reps");
        return List.of(Result.of(F, "getters", "ms", "lower", getters(ctx, rounds)),
                Result.of(F, "putters", "ms", "lower", putters(ctx, rounds)));
    }

    private static List<Double> getters(Context ctx, int rounds) throws Exception {
        Queue<Long> q = ctx.queue(Long.class);
        ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
        Semaphore go = new Semaphore(0), got = new Semaphore(0);
        List<Thread> threads = new ArrayList<>();
        for (int g = 0; g < WAITERS; g++) {
            threads.add(Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        go.acquire(); // one item per getter per burst: an awake getter cannot take the others'
                        long t0 = q.get();
                        delays.add(System.nanoTime() - t0);
                        got.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Double> worst = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            go.release(WAITERS);
            awaitAsleep(q, "sleepingGetters");
            long t0 = System.nanoTime();
            for (int g = 0; g < WAITERS; g++) q.put(t0);
            if (!got.tryAcquire(WAITERS, 60, TimeUnit.SECONDS)) throw new IllegalStateException("a getter never got its item");
            worst.add(delays.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6);
            delays.clear();
        }
        for (Thread t : threads) t.join(10_000);
        return worst;
    }

    private static List<Double> putters(Context ctx, int rounds) throws Exception {
        Queue<Integer> q = ctx.queue(Integer.class, WAITERS);
        ConcurrentLinkedQueue<Long> done = new ConcurrentLinkedQueue<>();
        Semaphore start = new Semaphore(0), put = new Semaphore(0);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WAITERS; w++) {
            threads.add(Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        start.acquire();
                        q.put(r);
                        done.add(System.nanoTime());
                        put.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Double> worst = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < WAITERS; k++) q.put(-1); // full
            start.release(WAITERS);
            awaitAsleep(q, "sleepingPutters");
            long t0 = System.nanoTime();
            for (int k = 0; k < WAITERS; k++) q.take();
            if (!put.tryAcquire(WAITERS, 60, TimeUnit.SECONDS)) throw new IllegalStateException("a putter never put its item");
            worst.add(done.stream().mapToLong(t -> t - t0).max().orElseThrow() / 1e6);
            done.clear();
            for (int k = 0; k < WAITERS; k++) q.take();
        }
        for (Thread t : threads) t.join(10_000);
        return worst;
    }

    /** Waits (at most 60 s) until every waiter sleeps on the queue: the figure is about sleepers, not spinners. */
    private static void awaitAsleep(Queue<?> q, String which) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Internals.sleeping(q, which) < WAITERS) {
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException("the waiters never all slept: " + which);
            LockSupport.parkNanos(100_000);
        }
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "getters", "ms", "lower", why), Result.notBuilt(F, "putters", "ms", "lower", why));
    }
}
