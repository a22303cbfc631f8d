package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code process_start_join_ms}: {@code process(noop).start(); join()}; 20 samples after 2 warm-ups. FORK and
 * FORKSERVER: each start with the context's warm JVMs ready ({@link Context#awaitReady}, not timed), as the
 * target says; {@code process_start_join_ms.back_to_back} (Java only) times the same starts one after the
 * other, without waiting, which is what CPython's figure does and what a burst of starts gets here.
 */
public final class ProcessStartFigure implements Figure {
    @Override public String key() { return "process_start"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        List<Double> samples = new ArrayList<>();
        int warmup = p.get("start_warmup");
        boolean warmJvms = Figures.hasWarmJvms(method);
        for (int i = 0; i < warmup + p.get("start_n"); i++) {
            if (warmJvms) Figures.awaitWarmJvms(ctx);
            samples.add(startJoin(ctx, i >= warmup));
        }
        samples.removeIf(java.util.Objects::isNull);
        List<Result> out = new ArrayList<>(List.of(Result.of("process_start_join_ms", "", "ms", "lower", samples)));
        if (warmJvms) {
            List<Double> burst = new ArrayList<>();
            for (int i = 0; i < p.get("start_n"); i++) burst.add(startJoin(ctx, true));
            out.add(Result.of("process_start_join_ms", "back_to_back", "ms", "lower", burst));
        }
        return out;
    }

    private static Double startJoin(Context ctx, boolean keep) throws Exception {
        long t0 = System.nanoTime();
        MpProcess proc = ctx.process(BenchTasks::noop);
        proc.start();
        proc.join();
        long dt = System.nanoTime() - t0;
        if (proc.exitCode() != 0) throw new IllegalStateException("exit code " + proc.exitCode());
        return keep ? dt / 1e6 : null;
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("process_start_join_ms", "", "ms", "lower", why));
    }
}
