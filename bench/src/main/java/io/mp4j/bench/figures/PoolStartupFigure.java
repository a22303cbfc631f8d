package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code pool_startup_ms}: {@code Pool(2)} + {@code apply(noop)} + {@code close(); join()}; 10 samples after 1
 * warm-up, one pool after the other, as CPython's figure. FORK and FORKSERVER also report
 * {@code pool_startup_ms.warm_ready} (Java only): the same with the context's warm JVMs ready before each pool
 * ({@link Context#awaitReady}, not timed); back to back, the standbys a pool takes are not warm again in time.
 */
public final class PoolStartupFigure implements Figure {
    @Override public String key() { return "pool_startup"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        List<Double> samples = new ArrayList<>();
        int warmup = p.get("pool_startup_warmup");
        for (int i = 0; i < warmup + p.get("pool_startup_reps"); i++) {
            double ms = startup(ctx);
            if (i >= warmup) samples.add(ms);
        }
        List<Result> out = new ArrayList<>(List.of(Result.of("pool_startup_ms", "", "ms", "lower", samples)));
        if (Figures.hasWarmJvms(method)) {
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < p.get("pool_startup_reps"); i++) {
                Figures.awaitWarmJvms(ctx);
                warm.add(startup(ctx));
            }
            out.add(Result.of("pool_startup_ms", "warm_ready", "ms", "lower", warm));
        }
        return out;
    }

    private static double startup(Context ctx) throws Exception {
        long t0 = System.nanoTime();
        try (PoolApi pool = PoolApi.open(ctx, 2)) {
            pool.apply(BenchTasks::noopFn, 0);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt("pool_startup_ms", "", "ms", "lower", why)); }
}
