package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;

/** {@code pool_startup_ms}: {@code Pool(2)} + {@code apply(noop)} + {@code close(); join()}; 10 samples after 1 warm-up. */
public final class PoolStartupFigure implements Figure {
    @Override public String key() { return "pool_startup"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        List<Double> samples = new ArrayList<>();
        int warmup = p.get("pool_startup_warmup");
        for (int i = 0; i < warmup + p.get("pool_startup_reps"); i++) {
            long t0 = System.nanoTime();
            try (PoolApi pool = PoolApi.open(ctx, 2)) {
                pool.apply(BenchTasks::noopFn, 0);
            }
            long dt = System.nanoTime() - t0;
            if (i >= warmup) samples.add(dt / 1e6);
        }
        return List.of(Result.of("pool_startup_ms", "", "ms", "lower", samples));
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt("pool_startup_ms", "", "ms", "lower", why)); }
}
