package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * {@code forkjoin_tasks_per_s.{forkjoinpool,pool}} and {@code forkjoin_throughput_ratio.pool_vs_forkjoinpool}:
 * CPU-bound tasks of about 2 ms (prime counting, calibrated in this JVM) through the process pool vs a
 * {@link ForkJoinPool} of as many threads (the cores), each warmed until its JIT settles ({@link CpuBoundFigure#warm});
 * target: the pool at ≥ 95% of the ForkJoinPool.
 */
public final class ForkJoinFigure implements Figure {
    static final String F = "forkjoin_tasks_per_s";
    static final double TASK_MS = 2.0;

    @Override public String key() { return "forkjoin"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return !method.equals("thread"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = Runtime.getRuntime().availableProcessors();
        List<long[]> tasks = calibrate(p.get("x_fj_tasks"));
        List<Double> fj = new ArrayList<>(), pl = new ArrayList<>();
        String why = null;
        PoolApi pool = null;
        try (ForkJoinPool fjp = new ForkJoinPool(n)) {
            CpuBoundFigure.warm(p, () -> run(fjp, tasks), 3, 3_000_000_000L);   // both warmed until their JIT settles
            try {
                PoolApi opened = PoolApi.open(ctx, n);
                pool = opened;
                CpuBoundFigure.warm(p, () -> opened.map(BenchTasks::countPrimesChunk, tasks, 1), 3, 3_000_000_000L);
            } catch (NotBuiltException e) {
                why = e.getMessage();
            }
            for (int r = 0; r < p.get("x_fj_reps"); r++) {            // interleaved
                long t0 = System.nanoTime();
                run(fjp, tasks);
                fj.add(tasks.size() / ((System.nanoTime() - t0) / 1e9));
                if (why != null) continue;
                t0 = System.nanoTime();
                pool.map(BenchTasks::countPrimesChunk, tasks, 1);
                pl.add(tasks.size() / ((System.nanoTime() - t0) / 1e9));
            }
        } finally {
            if (pool != null) pool.close();
        }
        List<Result> out = new ArrayList<>();
        out.add(Result.of(F, "forkjoinpool", "tasks/s", "higher", fj));
        if (why != null) {
            out.addAll(notBuilt(why).subList(1, 3));
        } else {
            out.add(Result.of(F, "pool", "tasks/s", "higher", pl));
            out.add(Result.of("forkjoin_throughput_ratio", "pool_vs_forkjoinpool", "x", "higher", CpuBoundFigure.ratios(pl, fj)));
        }
        return out;
    }

    private static void run(ForkJoinPool fjp, List<long[]> tasks) throws Exception {
        List<Future<Integer>> fs = new ArrayList<>();
        for (long[] t : tasks) fs.add(fjp.submit(() -> BenchTasks.countPrimesChunk(t)));
        for (Future<Integer> f : fs) f.get();
    }

    /** {@code count} consecutive ranges above 10^6, each sized to take about {@link #TASK_MS} here. */
    static List<long[]> calibrate(int count) {
        long lo = 1_000_000, width = 2_000;
        for (int i = 0; i < 8; i++) {                                 // JIT warm-up and sizing
            long t0 = System.nanoTime();
            BenchTasks.countPrimes(lo, lo + width);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i >= 3) width = Math.max(100, (long) (width * TASK_MS / Math.max(ms, 0.01)));
        }
        List<long[]> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) tasks.add(new long[]{lo + i * width, lo + (i + 1) * width});
        return tasks;
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "forkjoinpool", "tasks/s", "higher", why),
                Result.notBuilt(F, "pool", "tasks/s", "higher", why),
                Result.notBuilt("forkjoin_throughput_ratio", "pool_vs_forkjoinpool", "x", "higher", why));
    }
}
