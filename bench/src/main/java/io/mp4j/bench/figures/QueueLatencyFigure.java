package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.queue.SimpleQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code queue_put_get_latency_us}: how long an item waits in a {@link Queue} between processes at a moderate
 * rate, where the consumer is often asleep when the item comes: a producer process puts its send time every
 * 100 µs (10,000 items/s), a consumer process gets them; a sample is one item's put-to-get time, first
 * {@code x_queue_latency_warmup} discarded. No Python counterpart.
 */
public final class QueueLatencyFigure implements Figure {
    static final String F = "queue_put_get_latency_us";
    static final long PERIOD_NANOS = 100_000;
    private static final long SENTINEL = -1;

    @Override public String key() { return "queue_latency"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int warmup = p.get("x_queue_latency_warmup"), n = p.get("x_queue_latency_n");
        Figures.awaitWarmJvms(ctx, method);
        StartGate gate = StartGate.create(ctx.resourceDir());
        SimpleQueue<long[]> results = ctx.simpleQueue(long[].class);
        Queue<Long> q = ctx.queue(Long.class);
        MpProcess producer = ctx.process(QueueLatencyFigure::pacedProducer, q, gate.path(), warmup + n);
        MpProcess consumer = ctx.process(QueueLatencyFigure::consumer, q, gate.path(), results);
        long[] lat;
        try {
            producer.start();
            consumer.start();
            gate.open(2, () -> producer.isAlive() && consumer.isAlive());
            lat = results.get();
            producer.join();
            consumer.join();
        } finally {
            gate.delete();
        }
        if (lat.length != warmup + n) throw new IllegalStateException("consumer got " + lat.length + " of " + (warmup + n));
        List<Double> samples = new ArrayList<>();
        for (int i = warmup; i < lat.length; i++) samples.add(lat[i] / 1e3);
        return List.of(Result.of(F, "", "us", "lower", samples));
    }

    /** A child: puts its send time every {@link #PERIOD_NANOS}, then the sentinel. */
    public static void pacedProducer(Queue<Long> q, String gatePath, Integer n) throws Exception {
        try (StartGate gate = StartGate.attach(gatePath)) {
            gate.await();
        }
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            next += PERIOD_NANOS;
            long now;
            while ((now = System.nanoTime()) < next) {
                if (next - now > 60_000) LockSupport.parkNanos(next - now - 50_000); // the pace of the figure
                else Thread.onSpinWait();
            }
            q.put(System.nanoTime());
        }
        q.put(SENTINEL);
    }

    /** A child: gets until the sentinel, recording each item's wait. */
    public static void consumer(Queue<Long> q, String gatePath, SimpleQueue<long[]> results) throws Exception {
        try (StartGate gate = StartGate.attach(gatePath)) {
            gate.await();
        }
        long[] lat = new long[1 << 12];
        int k = 0;
        for (long t; (t = q.get()) != SENTINEL; ) {
            long d = System.nanoTime() - t;
            if (k == lat.length) lat = java.util.Arrays.copyOf(lat, k * 2);
            lat[k++] = d;
        }
        results.put(java.util.Arrays.copyOf(lat, k));
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt(F, "", "us", "lower", why)); }
}
