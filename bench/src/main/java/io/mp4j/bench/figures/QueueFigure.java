package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.queue.SimpleQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code queue_throughput_msgs_per_s.{queue,simplequeue}}: a producer process puts 200,000 ints and a sentinel
 * (-1: the queues refuse null), a consumer process gets them; from the producer's start (after a start gate)
 * to the consumer's end, on one monotonic clock; 3 reps, each with the context's warm JVMs ready (FORK,
 * FORKSERVER; not timed).
 *
 */
public final class QueueFigure implements Figure {
    static final String F = "queue_throughput_msgs_per_s";

    @Override public String key() { return "queue"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = p.get("queue_items");
        List<Result> out = new ArrayList<>();
        for (String kind : List.of("queue", "simplequeue")) {
            List<Double> rates = new ArrayList<>();
            for (int rep = 0; rep < p.get("queue_reps"); rep++) {
                Figures.awaitWarmJvms(ctx, method); // as ValueLockFigure: every rep from warm JVMs
                AutoCloseable q = kind.equals("queue") ? ctx.queue(Integer.class) : ctx.simpleQueue(Integer.class);
                try {
                    if (q instanceof Queue<?> bq) {
                        @SuppressWarnings("unchecked") Queue<Integer> qi = (Queue<Integer>) bq;
                        rates.add(rate(ctx, n, (gate, report) -> ctx.process(QueueFigure::producer, qi, gate, n, report),
                                (gate, report) -> ctx.process(QueueFigure::consumer, qi, gate, report)));
                    } else {
                        @SuppressWarnings("unchecked") SimpleQueue<Integer> qi = (SimpleQueue<Integer>) q;
                        rates.add(rate(ctx, n, (gate, report) -> ctx.process(QueueFigure::simpleProducer, qi, gate, n, report),
                                (gate, report) -> ctx.process(QueueFigure::simpleConsumer, qi, gate, report)));
                    }
                } finally {
                    q.close();
                }
            }
            out.add(Result.of(F, kind, "msgs/s", "higher", rates));
        }
        return out;
    }

    /** Makes one party of {@link #rate}: a process given the start gate's path and the file to report in. */
    interface Party {
        MpProcess make(String gatePath, String reportPath);
    }

    /**
     * Starts a producer and a consumer process behind a start gate and returns {@code n} over the time from
     * the producer's start to the consumer's end, as each reports it ({@link StartGate#report}: the producer
     * its start, the consumer its end and the count it got, which must be {@code n}).
     */
    static double rate(Context ctx, int n, Party producer, Party consumer) throws Exception {
        StartGate gate = StartGate.create(ctx.resourceDir());
        Path prodOut = ctx.resourceDir().resolve("bench-q-p-" + System.nanoTime());
        Path consOut = ctx.resourceDir().resolve("bench-q-c-" + System.nanoTime());
        try {
            MpProcess prod = producer.make(gate.path(), prodOut.toString());
            MpProcess cons = consumer.make(gate.path(), consOut.toString());
            prod.start();
            cons.start();
            gate.open(2, () -> prod.isAlive() && cons.isAlive());
            for (MpProcess pr : List.of(prod, cons)) {
                pr.join();
                if (pr.exitCode() != 0) throw new IllegalStateException(pr.getName() + " exited with " + pr.exitCode());
            }
            long t0 = StartGate.read(prodOut)[0];
            long[] c = StartGate.read(consOut);
            if (c[1] != n) throw new IllegalStateException("consumer got " + c[1] + " items, expected " + n);
            return n / ((c[0] - t0) / 1e9);
        } finally {
            gate.delete();
            Files.deleteIfExists(prodOut);
            Files.deleteIfExists(consOut);
        }
    }

    /** A child: puts 0..n-1 then -1; reports its start. */
    public static void producer(Queue<Integer> q, String gatePath, Integer n, String out) throws Exception {
        long t0;
        try (StartGate gate = StartGate.attach(gatePath)) {
            LoopCpu.prepare();
            gate.await();
            t0 = System.nanoTime();
            long c0 = LoopCpu.now();
            for (int i = 0; i < n; i++) q.put(i);
            q.put(-1);
            LoopCpu.print("queue-prod", t0, c0, n);
        }
        StartGate.report(out, t0);
    }

    /** A child: gets until -1; reports its end and the count. */
    public static void consumer(Queue<Integer> q, String gatePath, String out) throws Exception {
        long count = 0, t1;
        try (StartGate gate = StartGate.attach(gatePath)) {
            LoopCpu.prepare();
            gate.await();
            long w0 = System.nanoTime(), c0 = LoopCpu.now();
            while (q.get() != -1) count++;
            t1 = System.nanoTime();
            LoopCpu.print("queue-cons", w0, c0, count);
        }
        StartGate.report(out, t1, count);
    }

    /** As {@link #producer}, on a SimpleQueue. */
    public static void simpleProducer(SimpleQueue<Integer> q, String gatePath, Integer n, String out) throws Exception {
        long t0;
        try (StartGate gate = StartGate.attach(gatePath)) {
            LoopCpu.prepare();
            gate.await();
            t0 = System.nanoTime();
            long c0 = LoopCpu.now();
            for (int i = 0; i < n; i++) q.put(i);
            q.put(-1);
            LoopCpu.print("simple-prod", t0, c0, n);
        }
        StartGate.report(out, t0);
    }

    /** As {@link #consumer}, on a SimpleQueue. */
    public static void simpleConsumer(SimpleQueue<Integer> q, String gatePath, String out) throws Exception {
        long count = 0, t1;
        try (StartGate gate = StartGate.attach(gatePath)) {
            LoopCpu.prepare();
            gate.await();
            long w0 = System.nanoTime(), c0 = LoopCpu.now();
            while (q.get() != -1) count++;
            t1 = System.nanoTime();
            LoopCpu.print("simple-cons", w0, c0, count);
        }
        StartGate.report(out, t1, count);
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "queue", "msgs/s", "higher", why), Result.notBuilt(F, "simplequeue", "msgs/s", "higher", why));
    }
}
