package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;

/** {@code apply_async_roundtrip_us}: each {@code applyAsync(inc, i).get()}, 2,000 samples after 200 warm-ups, Pool(2). */
public final class ApplyAsyncFigure implements Figure {
    @Override public String key() { return "apply_async"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        List<Double> samples = new ArrayList<>();
        int warmup = p.get("apply_warmup");
        try (PoolApi pool = PoolApi.open(ctx, 2)) {
            for (int i = 0; i < warmup + p.get("apply_n"); i++) {
                long t0 = System.nanoTime();
                Integer r = pool.applyAsync(BenchTasks::inc, i).get();
                long dt = System.nanoTime() - t0;
                if (r != i + 1) throw new IllegalStateException("wrong result: " + r + " for " + i);
                if (i >= warmup) samples.add(dt / 1e3);
            }
        }
        return List.of(Result.of("apply_async_roundtrip_us", "", "us", "lower", samples));
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt("apply_async_roundtrip_us", "", "us", "lower", why)); }
}
