package io.mp4j;

import io.mp4j.ipc.shm.Array;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Barrier;
import io.mp4j.ipc.sync.Lock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small benchmark of the shared-memory figures (not a test): {@code value_lock_increments_per_s}
 * (2 processes x N increments of a Value under its lock, first start to last end, total checked) as the
 * CPython suite measures it, and the lock hand-off latency between two processes (from the holder's
 * unlock to the blocked waiter's lock returning). Prints TSV: name, median, unit, min, max, n.
 *
 * <pre>java -cp ... io.mp4j.ShmBenchMain [spawn|thread] [reps] [items]</pre>
 */
public final class ShmBenchMain {
    private ShmBenchMain() {}

    static void incrementer(Value v, Barrier b, int n, Array spans, int slot) throws Exception {
        var lock = v.getLock();
        b.await();
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            lock.lock();
            try {
                v.set(v.getInt() + 1);
            } finally {
                lock.unlock();
            }
        }
        long t1 = System.nanoTime();
        spans.set(2 * slot, t0);
        spans.set(2 * slot + 1, t1);
        spans.set(4 + slot, mx.getCurrentThreadCpuTime() - c0);
    }

    /** The waiter side of the hand-off: announces it is about to block, then measures when the lock arrives. */
    static void handOffWaiter(Lock lock, Value ready, Value t0, Array samples) {
        for (int i = 0; i < samples.length(); i++) {
            while (ready.getInt() != 1) Thread.onSpinWait(); // the holder has the lock
            ready.set(2);
            lock.lock();
            long t1 = System.nanoTime();
            samples.set(i, t1 - t0.getLong());
            ready.set(0);
            lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        StartMethod method = StartMethod.parse(args.length > 0 ? args[0] : "spawn");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Context ctx = Multiprocessing.getContext(method);
        String childOpts = System.getProperty("bench.childOpts", "");
        if (!childOpts.isBlank()) ctx.addJvmOptions(childOpts.trim().split("\\s+"));

        List<Double> rates = new ArrayList<>();
        boolean exact = true;
        for (int r = 0; r < reps + 1; r++) { // the first rep warms up
            Value v = ctx.value('i', 0);
            Barrier b = ctx.barrier(2);
            Array spans = ctx.array('q', 6, false);
            int items = n;
            MpProcess p1 = ctx.process(() -> incrementer(v, b, items, spans, 0));
            MpProcess p2 = ctx.process(() -> incrementer(v, b, items, spans, 1));
            p1.start();
            p2.start();
            p1.join();
            p2.join();
            long[] s = spans.toLongArray();
            double elapsed = Math.max(s[1], s[3]) - Math.min(s[0], s[2]);
            exact &= v.getInt() == 2 * n;
            if (r > 0) rates.add(2.0 * n / (elapsed / 1e9));
            if (Boolean.getBoolean("bench.verbose")) {
                System.err.printf("rep %d: wall %.1f ms, loop cpu %.1f / %.1f ms%n", r, elapsed / 1e6, s[4] / 1e6, s[5] / 1e6);
            }
        }
        print("value_lock_increments_per_s." + method.pythonName(), rates, "incr/s");
        System.out.println("value_lock_final_exact." + method.pythonName() + "\t" + (exact ? 1 : 0));

        handOff(ctx, method, 0, "spinning");
        handOff(ctx, method, 200_000, "asleep");
    }

    /** The waiter blocks in lock() for {@code gapNanos} before the holder releases: 0 hands off to a spinner. */
    private static void handOff(Context ctx, StartMethod method, long gapNanos, String variant) throws Exception {
        int samplesN = 1_000;
        Lock lock = ctx.lock();
        Value ready = ctx.value('i', 0, false);
        Value t0 = ctx.value('q', 0, false);
        Array samples = ctx.array('q', samplesN, false);
        MpProcess w = ctx.process(ShmBenchMain::handOffWaiter, lock, ready, t0, samples);
        w.start();
        for (int i = 0; i < samplesN; i++) {
            lock.lock();
            ready.set(1);
            while (ready.getInt() != 2) Thread.onSpinWait();
            long until = System.nanoTime() + gapNanos; // the waiter reaches lock() and spins, or sleeps in the futex
            while (System.nanoTime() < until) Thread.onSpinWait();
            t0.set(System.nanoTime());
            lock.unlock();
            while (ready.getInt() != 0) Thread.onSpinWait();
        }
        w.join();
        long[] lat = samples.toLongArray();
        List<Double> us = new ArrayList<>();
        for (long l : Arrays.copyOfRange(lat, 100, lat.length)) us.add(l / 1000.0); // after 100 warm-ups
        print("lock_handoff_us." + variant + "." + method.pythonName(), us, "us");
    }

    private static void print(String name, List<Double> xs, String unit) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        String p99 = s.length >= 100 ? String.format("\tp99=%.3f", s[(int) (s.length * 0.99)]) : "";
        System.out.printf("%s\t%.3f\t%s\t%.3f\t%.3f\t%d%s%n", name, median, unit, s[0], s[s.length - 1], s.length, p99);
    }
}
