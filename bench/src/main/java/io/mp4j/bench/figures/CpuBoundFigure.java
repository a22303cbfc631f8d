package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code cpu_bound_s.{sequential,pool1,pool2}} and {@code cpu_bound_speedup.{pool1,pool2}}: count primes
 * below 300,000 by odd trial division in 32 equal ranges, in-process vs warm Pool(1)/Pool(2)
 * {@code map(chunksize=1)} (each warmed until its JIT settles, {@link #warm}; FORK and FORKSERVER then wait for
 * the context's warm JVMs, so that no standby warms up beside the measured maps); reps interleaved, speedup
 * per rep. Without a pool, the sequential time is still measured.
 *
 * <p>{@code .sequential_sized}, {@code .pool2_sized}: the same job below {@code x_cpu_sized_below} (2,000,000), sized
 * so that Java's sequential run lasts about as long as CPython's on the suite's job (0.25-0.4 s), where a pool's
 * fixed costs weigh as they do in CPython's figure (Java only).
 */
public final class CpuBoundFigure implements Figure {
    @Override public String key() { return "cpu_bound"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int below = p.get("primes_below");
        List<long[]> chunks = Arrays.asList(BenchTasks.chunks(below, p.get("primes_chunks")));
        int reps = p.get("cpu_reps");
        List<Double> seq = new ArrayList<>(), p1 = new ArrayList<>(), p2 = new ArrayList<>();
        List<Double> seqSized = new ArrayList<>(), p2Sized = new ArrayList<>();
        List<long[]> sized = Arrays.asList(BenchTasks.chunks(p.get("x_cpu_sized_below"), p.get("primes_chunks")));
        int total = sequential(chunks);                       // reference
        warm(p, () -> sequential(chunks));                       // JIT
        Integer known = io.mp4j.bench.Params.PRIME_COUNTS.get(below);
        if (known != null && total != known) throw new IllegalStateException("pi(" + below + ") = " + total + "?");
        PoolApi pool1 = null, pool2 = null;
        String why = null;
        try {
            try {
                pool1 = PoolApi.open(ctx, 1);
                pool2 = PoolApi.open(ctx, 2);
                for (PoolApi pool : new PoolApi[]{pool1, pool2}) warm(p, () -> pool.map(BenchTasks::countPrimesChunk, chunks, 1));
                // the standbys that replace the ones the pools took warm up at the lowest priority, but on two
                // cores they still take what the workers leave between tasks: measured after they are ready,
                // as the target's "idle machine" says (FORK, FORKSERVER; not timed)
                Figures.awaitWarmJvms(ctx, method);
            } catch (NotBuiltException e) {
                why = e.getMessage();
            }
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                int got = sequential(chunks);
                seq.add((System.nanoTime() - t0) / 1e9);
                PoolPair.check(got, total);
                if (why != null) continue;
                for (var e : List.of(new PoolPair(pool1, p1), new PoolPair(pool2, p2))) {
                    t0 = System.nanoTime();
                    int sum = 0;
                    for (Integer c : e.pool().map(BenchTasks::countPrimesChunk, chunks, 1)) sum += c;
                    e.acc().add((System.nanoTime() - t0) / 1e9);
                    PoolPair.check(sum, total);
                }
            }
            if (why == null) {
                int sizedTotal = sequential(sized);
                PoolApi pool = pool2;
                warm(p, () -> pool.map(BenchTasks::countPrimesChunk, sized, 1), 3, 3_000_000_000L);
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    PoolPair.check(sequential(sized), sizedTotal);
                    seqSized.add((System.nanoTime() - t0) / 1e9);
                    t0 = System.nanoTime();
                    int sum = 0;
                    for (Integer c : pool2.map(BenchTasks::countPrimesChunk, sized, 1)) sum += c;
                    p2Sized.add((System.nanoTime() - t0) / 1e9);
                    PoolPair.check(sum, sizedTotal);
                }
            }
        } finally {
            if (pool1 != null) pool1.close();
            if (pool2 != null) pool2.close();
        }
        List<Result> out = new ArrayList<>();
        out.add(Result.of("cpu_bound_s", "sequential", "s", "lower", seq));
        if (why != null) {
            out.addAll(notBuilt(why).subList(1, 8));
            return out;
        }
        out.add(Result.of("cpu_bound_s", "pool1", "s", "lower", p1));
        out.add(Result.of("cpu_bound_s", "pool2", "s", "lower", p2));
        out.add(Result.of("cpu_bound_speedup", "pool1", "x", "higher", ratios(seq, p1)));
        out.add(Result.of("cpu_bound_speedup", "pool2", "x", "higher", ratios(seq, p2)));
        out.add(Result.of("cpu_bound_s", "sequential_sized", "s", "lower", seqSized));
        out.add(Result.of("cpu_bound_s", "pool2_sized", "s", "lower", p2Sized));
        out.add(Result.of("cpu_bound_speedup", "pool2_sized", "x", "higher", ratios(seqSized, p2Sized)));
        return out;
    }

    interface Run {
        void run() throws Exception;
    }

    /**
     * Warms a JIT: runs {@code r} at least 40 times (HotSpot compiles a method fully after some 600 calls,
     * and each worker of Pool(2) gets 16 per map), then until it stops getting faster (three runs in a row no
     * better than 95% of the best); at most 100 runs or 6 s. CPython needs one run; the figure compares warm
     * pools, a long-running program's steady state.
     */
    static void warm(Params p, Run r) throws Exception { warm(p, r, 40, 6_000_000_000L); }

    /** {@link #warm(Params, Run)} with at least {@code minRuns} runs and at most {@code maxNanos} of them. */
    static void warm(Params p, Run r, int minRuns, long maxNanos) throws Exception {
        if (p.get("x_jit_warmup") == 0) { // a smoke run: the code runs once, its numbers are not for reading
            r.run();
            return;
        }
        long best = Long.MAX_VALUE, end = System.nanoTime() + maxNanos;
        for (int i = 0, stale = 0; i < 100 && (i < minRuns || stale < 3) && System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            r.run();
            long dt = System.nanoTime() - t0;
            if (dt < best * 0.95) stale = 0;
            else stale++;
            best = Math.min(best, dt);
        }
    }

    private record PoolPair(PoolApi pool, List<Double> acc) {
        static void check(int got, int expected) {
            if (got != expected) throw new IllegalStateException("pool result differs from sequential: " + got + " vs " + expected);
        }
    }

    static int sequential(List<long[]> chunks) {
        int total = 0;
        for (long[] c : chunks) total += BenchTasks.countPrimesChunk(c);
        return total;
    }

    static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) r.add(a.get(i) / b.get(i));
        return r;
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("cpu_bound_s", "sequential", "s", "lower", why),
                Result.notBuilt("cpu_bound_s", "pool1", "s", "lower", why),
                Result.notBuilt("cpu_bound_s", "pool2", "s", "lower", why),
                Result.notBuilt("cpu_bound_speedup", "pool1", "x", "higher", why),
                Result.notBuilt("cpu_bound_speedup", "pool2", "x", "higher", why),
                Result.notBuilt("cpu_bound_s", "sequential_sized", "s", "lower", why),
                Result.notBuilt("cpu_bound_s", "pool2_sized", "s", "lower", why),
                Result.notBuilt("cpu_bound_speedup", "pool2_sized", "x", "higher", why));
    }
}
