package io.mp4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The pool figures of the CPython reference suite, same parameters (see bench/python/suite.py), printed
 * as {@code name<TAB>median<TAB>unit<TAB>min<TAB>max<TAB>n}. Run: {@code java -cp <test class path>
 * io.mp4j.PoolBench [method] [figure,...]}. A harness stand-in until the project's benchmark has these.
 */
public final class PoolBench {
    private PoolBench() {}

    public static Object noop(int ignored) { return null; }

    public static int inc(int x) { return x + 1; }

    public static int countPrimes(List<Integer> bounds) {
        int lo = bounds.get(0), hi = bounds.get(1), count = 0;
        for (int n = Math.max(lo, 2); n < hi; n++) {
            if (n < 4) { count++; continue; }
            if (n % 2 == 0) continue;
            boolean prime = true;
            for (int d = 3; d * d <= n; d += 2) if (n % d == 0) { prime = false; break; }
            if (prime) count++;
        }
        return count;
    }

    static void print(String name, String unit, double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        System.out.printf("%s\t%.4g\t%s\t%.4g\t%.4g\t%d%n", name, med, unit, s[0], s[s.length - 1], s.length);
    }

    public static void main(String[] a) throws Exception {
        StartMethod m = StartMethod.parse(a.length > 0 ? a[0] : "spawn");
        List<String> only = a.length > 1 ? List.of(a[1].split(",")) : List.of("pool_startup", "pool_map", "apply_async", "cpu_bound", "maxtasksperchild");
        Context ctx = Multiprocessing.getContext(m);
        String sfx = "." + m.pythonName();
        if (only.contains("pool_startup")) {
            double[] ms = new double[10];
            for (int i = -1; i < 10; i++) {
                long t0 = System.nanoTime();
                Pool p = ctx.pool(2);
                p.apply(PoolBench::inc, 1);
                p.close();
                p.join();
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            print("pool_startup_ms" + sfx, "ms", ms);
        }
        if (only.contains("pool_map")) {
            try (Pool p = ctx.pool(2)) {
                p.map(PoolBench::inc, IntStream.range(0, 2000).boxed().toList(), 1);
                List<Integer> data = IntStream.range(0, 100_000).boxed().toList();
                for (int w = 0; w < 3; w++) { p.map(PoolBench::inc, data); p.map(PoolBench::inc, data, 1); }
                double[] d = new double[5];
                for (int i = 0; i < 5; i++) { long t0 = System.nanoTime(); p.map(PoolBench::inc, data); d[i] = data.size() / ((System.nanoTime() - t0) / 1e9); }
                double[] c1 = new double[3];
                for (int i = 0; i < 3; i++) { long t0 = System.nanoTime(); p.map(PoolBench::inc, data, 1); c1[i] = data.size() / ((System.nanoTime() - t0) / 1e9); }
                List<Integer> small = IntStream.range(0, 20_000).boxed().toList();
                double[] iu = new double[3];
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    for (int v : p.imapUnordered(PoolBench::inc, small, 1)) { if (v < 0) throw new AssertionError(); }
                    iu[i] = small.size() / ((System.nanoTime() - t0) / 1e9);
                }
                print("pool_map_tiny_tasks_per_s.map_chunksize1" + sfx, "tasks/s", c1);
                print("pool_map_tiny_tasks_per_s.map_default_chunksize" + sfx, "tasks/s", d);
                print("pool_map_tiny_tasks_per_s.imap_unordered_chunksize1" + sfx, "tasks/s", iu);
            }
        }
        if (only.contains("apply_async")) {
            try (Pool p = ctx.pool(2)) {
                for (int i = 0; i < 2000; i++) p.applyAsync(PoolBench::inc, i).get();
                double[] us = new double[2000];
                for (int i = 0; i < us.length; i++) {
                    long t0 = System.nanoTime();
                    p.applyAsync(PoolBench::inc, i).get();
                    us[i] = (System.nanoTime() - t0) / 1e3;
                }
                print("apply_async_roundtrip_us" + sfx, "us", us);
            }
        }
        if (only.contains("cpu_bound")) {
            int n = 300_000, c = 32;
            List<List<Integer>> chunks = new ArrayList<>();
            for (int i = 0; i < c; i++) chunks.add(List.of((int) ((long) n * i / c), (int) ((long) n * (i + 1) / c)));
            try (Pool p1 = ctx.pool(1); Pool p2 = ctx.pool(2)) {
                for (int w = 0; w < 10; w++) { // JIT warm-up on every side, as Python's interpreter needs none
                    for (List<Integer> ch : chunks) countPrimes(ch);
                    p1.map(PoolBench::countPrimes, chunks, 1);
                    p2.map(PoolBench::countPrimes, chunks, 1);
                }
                int reps = 5;
                double[] seq = new double[reps], s1 = new double[reps], s2 = new double[reps], sp1 = new double[reps], sp2 = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    int total = 0;
                    for (List<Integer> ch : chunks) total += countPrimes(ch);
                    seq[r] = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    int g1 = p1.map(PoolBench::countPrimes, chunks, 1).stream().mapToInt(Integer::intValue).sum();
                    s1[r] = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    int g2 = p2.map(PoolBench::countPrimes, chunks, 1).stream().mapToInt(Integer::intValue).sum();
                    s2[r] = (System.nanoTime() - t0) / 1e9;
                    if (total != 25_997 || g1 != total || g2 != total) throw new AssertionError("pi(300000) " + total + " " + g1 + " " + g2);
                    sp1[r] = seq[r] / s1[r];
                    sp2[r] = seq[r] / s2[r];
                }
                print("cpu_bound_s.sequential" + sfx, "s", seq);
                print("cpu_bound_s.pool1" + sfx, "s", s1);
                print("cpu_bound_s.pool2" + sfx, "s", s2);
                print("cpu_bound_speedup.pool1" + sfx, "x", sp1);
                print("cpu_bound_speedup.pool2" + sfx, "x", sp2);
            }
        }
        if (only.contains("maxtasksperchild")) {
            int t = m == StartMethod.SPAWN ? 40 : m == StartMethod.THREAD ? 2000 : 200;
            double[] r = new double[3];
            for (int i = 0; i < 3; i++) {
                Pool p = ctx.poolBuilder().processes(2).maxTasksPerChild(1).build();
                p.map(PoolBench::noop, List.of(1, 2), 1);
                long t0 = System.nanoTime();
                p.map(PoolBench::noop, IntStream.range(0, t).boxed().toList(), 1);
                r[i] = t / ((System.nanoTime() - t0) / 1e9);
                p.close();
                p.join();
            }
            print("maxtasksperchild_tasks_per_s.1" + sfx, "tasks/s", r);
        }
    }
}
