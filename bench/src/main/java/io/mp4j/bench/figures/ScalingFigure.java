package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scaling, beside {@code ../shared/bench/python/scaling.py}: primes below 2,000,000 in 128 equal chunks
 * (the same trial division), sequential vs {@code Pool(n).map(chunksize=1)} for each n of {@code --workers},
 * each pool warmed with 2n no-op tasks and then with the map itself until its JIT settles (at least 10 maps,
 * at most 3 s: {@link CpuBoundFigure#warm}), 3 reps. Reports {@code scaling_s.sequential}, {@code scaling_s.pool<n>}
 * and {@code scaling_speedup.pool<n>} (best sequential time / each rep's time), and under {@code spawn} the
 * machine's ceiling without a pool, {@code scaling_speedup.threads<n>} ({@link #threads}).
 */
public final class ScalingFigure implements Figure {
    @Override public String key() { return "scaling"; }

    @Override public boolean inPythonSuite() { return false; }          // scaling.py runs beside it, not run.sh

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        long below = below(p);
        List<long[]> chunks = Arrays.asList(BenchTasks.chunks(below, p.get("x_scaling_chunks")));
        int reps = p.get("x_scaling_reps");
        CpuBoundFigure.sequential(chunks.subList(0, chunks.size() / 4));    // JIT warm-up
        List<Double> seq = new ArrayList<>();
        int total = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            total = CpuBoundFigure.sequential(chunks);
            seq.add((System.nanoTime() - t0) / 1e9);
        }
        Integer known = Params.PRIME_COUNTS.get((int) below);
        if (known != null && total != known) throw new IllegalStateException("pi(" + below + ") = " + total + "?");
        double bestSeq = seq.stream().mapToDouble(d -> d).min().orElseThrow();
        List<Result> out = new ArrayList<>();
        out.add(Result.of("scaling_s", "sequential", "s", "lower", seq));
        if (method.equals("spawn")) {
            for (int n : p.workers()) if (n > 1) out.add(Result.of("scaling_speedup", "threads" + n, "x", "higher", threads(p, chunks, n, reps, bestSeq)));
        }
        for (int n : p.workers()) {
            List<Double> times = new ArrayList<>(), speedups = new ArrayList<>();
            try (PoolApi pool = PoolApi.open(ctx, n)) {
                pool.map(BenchTasks::noopFn, new ArrayList<Object>(java.util.Collections.nCopies(2 * n, 0)), 1);
                // steady state against steady state, as cpu_bound: each worker of Pool(16) gets only 8 chunks per
                // map, so the first maps run in the workers' interpreter and C1, many times slower
                // (docs/journal/2026-11-23-starts-pools-scaling.md#scaling)
                CpuBoundFigure.warm(p, () -> pool.map(BenchTasks::countPrimesChunk, chunks, 1), 10, 3_000_000_000L);
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    int got = 0;
                    for (Integer c : pool.map(BenchTasks::countPrimesChunk, chunks, 1)) got += c;
                    double dt = (System.nanoTime() - t0) / 1e9;
                    if (got != total) throw new IllegalStateException("pool result differs: " + got + " vs " + total);
                    times.add(dt);
                    speedups.add(bestSeq / dt);
                }
            } catch (NotBuiltException e) {
                out.add(Result.notBuilt("scaling_s", "pool" + n, "s", "lower", e.getMessage()));
                out.add(Result.notBuilt("scaling_speedup", "pool" + n, "x", "higher", e.getMessage()));
                continue;
            }
            out.add(Result.of("scaling_s", "pool" + n, "s", "lower", times));
            out.add(Result.of("scaling_speedup", "pool" + n, "x", "higher", speedups));
        }
        return out;
    }

    /**
     * The machine's own ceiling for this job, with no pool: {@code n} threads of this JVM claim the chunks in
     * order from one counter (as a pool hands them out), warmed as the pools are; speedups against {@code bestSeq}.
     * Measured once (under {@code spawn}): it does not depend on the start method.
     */
    static List<Double> threads(Params p, List<long[]> chunks, int n, int reps, double bestSeq) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(n);
        try {
            CpuBoundFigure.Run once = () -> {
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> fs = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    fs.add(ex.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < chunks.size(); ) BenchTasks.countPrimesChunk(chunks.get(i));
                    }));
                }
                for (Future<?> f : fs) f.get();
            };
            CpuBoundFigure.warm(p, once, 10, 3_000_000_000L);
            List<Double> speedups = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                once.run();
                speedups.add(bestSeq / ((System.nanoTime() - t0) / 1e9));
            }
            return speedups;
        } finally {
            ex.shutdownNow();
        }
    }

    /** N: 2,000,000, scaled as suite.py scales primes_below (at least 1,000). */
    public static long below(Params p) {
        return p.scale() == 1.0 ? p.get("x_scaling_below") : Math.max(1000, (long) (p.get("x_scaling_below") * p.scale()));
    }

    @Override
    public List<Result> notBuilt(String why) {
        List<Result> out = new ArrayList<>();
        out.add(Result.notBuilt("scaling_s", "sequential", "s", "lower", why));
        return out;
    }
}
