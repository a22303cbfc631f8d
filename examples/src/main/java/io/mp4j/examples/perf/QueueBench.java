package io.mp4j.examples.perf;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.queue.SimpleQueue;
import io.mp4j.ipc.sync.Barrier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Queue figures, with the parameters of {@code ../shared/bench/python/suite.py}: 
 * {@code queue_throughput_msgs_per_s} (one producer process puts 200,000 small ints and a sentinel, one
 * consumer process gets until the sentinel; timed from the producer's first put to the consumer's last
 * get, after a barrier), for Queue and SimpleQueue, interleaved, 3 repetitions; and the put-to-get
 * latency at a moderate rate. Until the benchmark harness runs it, run it with
 * {@code java <flags> -cp ... io.mp4j.examples.perf.QueueBench [spawn|fork|forkserver|thread] [items] [reps]}.
 */
public final class QueueBench {
    private QueueBench() {}

    static final long SENTINEL = -1L;

    // ------------------------------------------------------------------ throughput

    public static void queueProducer(Queue<Integer> q, Barrier b, int n, SimpleQueue<long[]> results) throws Exception {
        b.await();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) q.put(i);
        q.put(-1);
        results.put(new long[]{0, t0});
    }

    public static void queueConsumer(Queue<Integer> q, Barrier b, SimpleQueue<long[]> results) throws Exception {
        b.await();
        long count = 0;
        while (q.get() != -1) count++;
        results.put(new long[]{1, System.nanoTime(), count});
    }

    public static void simpleProducer(SimpleQueue<Integer> q, Barrier b, int n, SimpleQueue<long[]> results) throws Exception {
        b.await();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) q.put(i);
        q.put(-1);
        results.put(new long[]{0, t0});
    }

    public static void simpleConsumer(SimpleQueue<Integer> q, Barrier b, SimpleQueue<long[]> results) throws Exception {
        b.await();
        long count = 0;
        while (q.get() != -1) count++;
        results.put(new long[]{1, System.nanoTime(), count});
    }

    static double throughput(Context ctx, String kind, int n) throws Exception {
        Barrier b = Barrier.create(ctx.resourceDir(), 2, null, -1);
        SimpleQueue<long[]> results = ctx.simpleQueue(long[].class);
        MpProcess p, c;
        if (kind.equals("queue")) {
            Queue<Integer> q = ctx.queue(Integer.class);
            p = ctx.process(QueueBench::queueProducer, q, b, n, results);
            c = ctx.process(QueueBench::queueConsumer, q, b, results);
        } else {
            SimpleQueue<Integer> q = ctx.simpleQueue(Integer.class);
            p = ctx.process(QueueBench::simpleProducer, q, b, n, results);
            c = ctx.process(QueueBench::simpleConsumer, q, b, results);
        }
        p.start();
        c.start();
        long start = 0, end = 0, count = -1;
        for (int i = 0; i < 2; i++) {
            long[] r = results.get();
            if (r[0] == 0) start = r[1];
            else { end = r[1]; count = r[2]; }
        }
        p.join();
        c.join();
        if (count != n) throw new IllegalStateException(kind + ": consumer got " + count + " of " + n);
        return n / ((end - start) / 1e9);
    }

    // ------------------------------------------------------------------ latency

    /** Puts its send time every {@code periodNanos}, then the sentinel. */
    public static void pacedProducer(Queue<Long> q, Barrier b, int n, long periodNanos) throws Exception {
        b.await();
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            next += periodNanos;
            long now;
            while ((now = System.nanoTime()) < next) {
                if (next - now > 60_000) LockSupport.parkNanos(next - now - 50_000);
                else Thread.onSpinWait();
            }
            q.put(System.nanoTime());
        }
        q.put(SENTINEL);
    }

    public static void latencyConsumer(Queue<Long> q, Barrier b, SimpleQueue<long[]> results) throws Exception {
        b.await();
        long[] lat = new long[1 << 16];
        int k = 0;
        for (long t; (t = q.get()) != SENTINEL; ) {
            long d = System.nanoTime() - t;
            if (k == lat.length) lat = Arrays.copyOf(lat, k * 2);
            lat[k++] = d;
        }
        results.put(Arrays.copyOf(lat, k));
    }

    static long[] latency(Context ctx, int n, long periodNanos) throws Exception {
        Barrier b = Barrier.create(ctx.resourceDir(), 2, null, -1);
        SimpleQueue<long[]> results = ctx.simpleQueue(long[].class);
        Queue<Long> q = ctx.queue(Long.class);
        MpProcess p = ctx.process(QueueBench::pacedProducer, q, b, n, periodNanos);
        MpProcess c = ctx.process(QueueBench::latencyConsumer, q, b, results);
        p.start();
        c.start();
        long[] lat = results.get();
        p.join();
        c.join();
        Arrays.sort(lat);
        return lat;
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        StartMethod m = args.length > 0 ? StartMethod.parse(args[0]) : StartMethod.SPAWN;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Context ctx = Multiprocessing.getContext(m);
        List<Double> queue = new ArrayList<>(), simple = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            queue.add(throughput(ctx, "queue", n));
            simple.add(throughput(ctx, "simplequeue", n));
        }
        print("queue_throughput_msgs_per_s.queue", m, queue);
        print("queue_throughput_msgs_per_s.simplequeue", m, simple);
        int latN = 20_000;
        long period = 100_000; // 10,000 msgs/s
        long[] lat = latency(ctx, latN, period);
        System.out.printf(Locale.ROOT, "queue_put_get_latency_us [%s] at %d msgs/s, %d msgs: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                m.pythonName(), 1_000_000_000L / period, latN, lat[lat.length / 2] / 1e3, lat[lat.length * 9 / 10] / 1e3,
                lat[lat.length * 99 / 100] / 1e3, lat[lat.length - 1] / 1e3);
    }

    private static void print(String figure, StartMethod m, List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        System.out.printf(Locale.ROOT, "%s [%s]: median %.0f  min %.0f  max %.0f  (reps %s)%n", figure, m.pythonName(),
                s.get(s.size() / 2), s.getFirst(), s.getLast(), v.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList());
    }
}
