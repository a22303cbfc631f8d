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
 *
 * <p>With maxtasksperchild=1 each task costs a worker JVM, and on a small machine the rate is bounded by the CPU
 * those JVMs take, not by waiting: under SPAWN and FORK (where the workers are this JVM's children) the figure
 * also reports {@code maxtasksperchild_child_cpu_ms.1}, the CPU time of the worker JVMs reaped during a
 * repetition (start, warm-up, task and exit, every thread) per task, and
 * {@code maxtasksperchild_cpu_ceiling_tasks_per_s.1}, the cores' worth of it: the rate the machine could reach
 * if it did nothing but start and end those JVMs. The count is within some two JVMs of the tasks (those up
 * before the repetition and those starting at its end): a few percent at 40 tasks. (FORKSERVER's workers are
 * the server's children.)
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
        List<Double> rNone = new ArrayList<>(), rOne = new ArrayList<>(), cpuOne = new ArrayList<>(), ceiling = new ArrayList<>();
        boolean cpu = (method.equals("spawn") || method.equals("fork")) && ChildCpu.available();
        int cores = Runtime.getRuntime().availableProcessors();
        for (int rep = 0; rep < p.get("mtpc_reps"); rep++) {
            for (Integer mtpc : new Integer[]{null, 1}) {
                int count = mtpc == null ? none : one;
                long dt;
                int done = 0;
                PoolApi pool = PoolApi.open(ctx, 2, mtpc);
                boolean cut = false;
                double cpu0 = 0;
                try {
                    pool.map(BenchTasks::noopFn, List.<Object>of(0, 1), 1);      // workers up
                    List<Object> items = new ArrayList<>(IntStream.range(0, count).boxed().toList());
                    if (cpu) cpu0 = ChildCpu.reapedMillis();
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
                // one JVM per task; at the edges, JVMs started before t0 and reaped in it count whole, and the
                // replacements still starting at close count what they had spent: within ~2 JVMs of the count
                double perTask = cpu && mtpc != null && done > 0 ? (ChildCpu.reapedMillis() - cpu0) / done : 0;
                if (perTask > 0) {
                    cpuOne.add(perTask);
                    ceiling.add(cores * 1000.0 / perTask);
                }
            }
        }
        List<Double> slow = new ArrayList<>();
        for (int i = 0; i < rNone.size(); i++) slow.add(rNone.get(i) / rOne.get(i));
        List<Result> out = new ArrayList<>(List.of(Result.of(F, "none", "tasks/s", "higher", rNone),
                Result.of(F, "1", "tasks/s", "higher", rOne), Result.of("maxtasksperchild_slowdown", "1_vs_none", "x", "lower", slow)));
        if (!cpuOne.isEmpty()) {
            out.add(Result.of(CPU, "1", "ms", "lower", cpuOne));
            out.add(Result.of(CEILING, "1", "tasks/s", "higher", ceiling));
        }
        return out;
    }

    static final String CPU = "maxtasksperchild_child_cpu_ms", CEILING = "maxtasksperchild_cpu_ceiling_tasks_per_s";

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "none", "tasks/s", "higher", why), Result.notBuilt(F, "1", "tasks/s", "higher", why),
                Result.notBuilt("maxtasksperchild_slowdown", "1_vs_none", "x", "lower", why));
    }
}
