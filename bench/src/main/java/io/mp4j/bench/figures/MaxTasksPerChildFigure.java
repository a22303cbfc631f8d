package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code maxtasksperchild_tasks_per_s.{none,1}}, {@code maxtasksperchild_slowdown.1_vs_none}:
 * {@code Pool(2, maxtasksperchild=None/1).map(noop, range(T), chunksize=1)}; T = 2,000 for None and
 * per method for 1 (as suite.py); 3 reps, interleaved. Where a repetition runs past 20 s (a JVM start per
 * task on a busy machine), its rate is taken over the tasks done by then.
 */
public final class MaxTasksPerChildFigure implements Figure {
    static final String F = "maxtasksperchild_tasks_per_s";
    /** Longest time one repetition may run before its rate is taken over the tasks done so far. */
    static final long TIME_BOX_NANOS = 20_000_000_000L;

    @Override public String key() { return "maxtasksperchild"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int none = p.get("mtpc_none_tasks"), one = p.get("mtpc1_tasks", method);
        List<Double> rNone = new ArrayList<>(), rOne = new ArrayList<>();
        for (int rep = 0; rep < p.get("mtpc_reps"); rep++) {
            for (Integer mtpc : new Integer[]{null, 1}) {
                int count = mtpc == null ? none : one;
                long dt;
                int done = 0;
                PoolApi pool = PoolApi.open(ctx, 2, mtpc);
                boolean cut = false;
                try {
                    pool.map(BenchTasks::noopFn, List.<Object>of(0, 1), 1);      // workers up
                    List<Object> items = new ArrayList<>(IntStream.range(0, count).boxed().toList());
                    long t0 = System.nanoTime();
                    // The figure is a rate: a worker per task costs a JVM start, so the count is cut off after
                    // TIME_BOX (the rate is then over the tasks done), keeping the whole run within its budget.
                    var it = pool.imapUnordered(BenchTasks::noopFn, items, 1);
                    while (it.hasNext()) {
                        it.next();
                        done++;
                        if (System.nanoTime() - t0 > TIME_BOX_NANOS && done < count) { cut = true; break; }
                    }
                    dt = System.nanoTime() - t0;
                } finally {
                    if (cut) pool.terminate(); else pool.close();
                }
                (mtpc == null ? rNone : rOne).add(done / (dt / 1e9));
            }
        }
        List<Double> slow = new ArrayList<>();
        for (int i = 0; i < rNone.size(); i++) slow.add(rNone.get(i) / rOne.get(i));
        return List.of(Result.of(F, "none", "tasks/s", "higher", rNone), Result.of(F, "1", "tasks/s", "higher", rOne),
                Result.of("maxtasksperchild_slowdown", "1_vs_none", "x", "lower", slow));
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "none", "tasks/s", "higher", why), Result.notBuilt(F, "1", "tasks/s", "higher", why),
                Result.notBuilt("maxtasksperchild_slowdown", "1_vs_none", "x", "lower", why));
    }
}
