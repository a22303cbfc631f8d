package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;

/** {@code process_start_join_ms}: {@code process(noop).start(); join()}; 20 samples after 2 warm-ups. */
public final class ProcessStartFigure implements Figure {
    @Override public String key() { return "process_start"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        List<Double> samples = new ArrayList<>();
        int warmup = p.get("start_warmup");
        for (int i = 0; i < warmup + p.get("start_n"); i++) {
            long t0 = System.nanoTime();
            MpProcess proc = ctx.process(BenchTasks::noop);
            proc.start();
            proc.join();
            long dt = System.nanoTime() - t0;
            if (proc.exitCode() != 0) throw new IllegalStateException("exit code " + proc.exitCode());
            if (i >= warmup) samples.add(dt / 1e6);
        }
        return List.of(Result.of("process_start_join_ms", "", "ms", "lower", samples));
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("process_start_join_ms", "", "ms", "lower", why));
    }
}
