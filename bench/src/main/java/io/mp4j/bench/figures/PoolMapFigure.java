package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code pool_map_tiny_tasks_per_s.{map_chunksize1,map_default_chunksize,imap_unordered_chunksize1}}:
 * {@code map(inc, 100_000 ints)} with chunksize 1 (3 reps) and default (5 reps), {@code imapUnordered(inc,
 * 20_000, 1)} (3 reps), interleaved, on a warm {@code Pool(2)}: after suite.py's warm-up, each variant runs
 * until the JIT settles (at least 30, 3 and 3 runs, at most 3, 3 and 2 s; {@link CpuBoundFigure#warm}).
 */
public final class PoolMapFigure implements Figure {
    static final String F = "pool_map_tiny_tasks_per_s";

    @Override public String key() { return "pool_map"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = p.get("map_items"), ni = p.get("imap_items");
        List<Integer> data = IntStream.range(0, n).boxed().toList();
        List<Integer> idata = IntStream.range(0, ni).boxed().toList();
        long expect = (long) n * (n + 1) / 2, expectI = (long) ni * (ni + 1) / 2;
        List<Double> cs1 = new ArrayList<>(), dflt = new ArrayList<>(), imap = new ArrayList<>();
        try (PoolApi pool = PoolApi.open(ctx, 2)) {
            pool.map(BenchTasks::inc, IntStream.range(0, 2000).boxed().toList(), 1);   // suite.py's warm-up
            // and the JIT's, in the workers and here: each variant until it stops getting faster
            CpuBoundFigure.warm(p, () -> check(sum(pool.map(BenchTasks::inc, data)), expect), 30, 3_000_000_000L);
            CpuBoundFigure.warm(p, () -> check(sum(pool.map(BenchTasks::inc, data, 1)), expect), 3, 3_000_000_000L);
            CpuBoundFigure.warm(p, () -> {
                long total = 0;
                for (Iterator<Integer> it = pool.imapUnordered(BenchTasks::inc, idata, 1); it.hasNext(); ) total += it.next();
                check(total, expectI);
            }, 3, 2_000_000_000L);
            int reps = Math.max(p.get("map_cs1_reps"), Math.max(p.get("map_default_reps"), p.get("imap_reps")));
            for (int r = 0; r < reps; r++) {
                if (r < p.get("map_default_reps")) {
                    long t0 = System.nanoTime();
                    List<Integer> res = pool.map(BenchTasks::inc, data);
                    long dt = System.nanoTime() - t0;
                    check(sum(res), expect);
                    dflt.add(n / (dt / 1e9));
                }
                if (r < p.get("map_cs1_reps")) {
                    long t0 = System.nanoTime();
                    List<Integer> res = pool.map(BenchTasks::inc, data, 1);
                    long dt = System.nanoTime() - t0;
                    check(sum(res), expect);
                    cs1.add(n / (dt / 1e9));
                }
                if (r < p.get("imap_reps")) {
                    long t0 = System.nanoTime();
                    long total = 0;
                    for (Iterator<Integer> it = pool.imapUnordered(BenchTasks::inc, idata, 1); it.hasNext(); ) total += it.next();
                    long dt = System.nanoTime() - t0;
                    check(total, expectI);
                    imap.add(ni / (dt / 1e9));
                }
            }
        }
        return List.of(Result.of(F, "map_chunksize1", "tasks/s", "higher", cs1),
                Result.of(F, "map_default_chunksize", "tasks/s", "higher", dflt),
                Result.of(F, "imap_unordered_chunksize1", "tasks/s", "higher", imap));
    }

    static long sum(List<Integer> xs) {
        long s = 0;
        for (Integer x : xs) s += x;
        return s;
    }

    static void check(long got, long expected) {
        if (got != expected) throw new IllegalStateException("wrong result: got=" + got + ", expected=" + expected);
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "map_chunksize1", "tasks/s", "higher", why),
                Result.notBuilt(F, "map_default_chunksize", "tasks/s", "higher", why),
                Result.notBuilt(F, "imap_unordered_chunksize1", "tasks/s", "higher", why));
    }
}
