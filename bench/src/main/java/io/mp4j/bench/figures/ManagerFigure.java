package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.managers.DictProxy;
import io.mp4j.managers.SyncManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code manager_dict_ops_per_s} and {@code manager_startup_ms}, as suite.py's {@code fig_manager}: a child does
 * 5,000 {@code d.put(i % 100, i)} and 5,000 {@code d.get(i % 100)} on a manager's dict proxy, timed in the child from
 * before its first call (which connects) to after its last; 3 reps, one manager, a new dict and child each. The
 * start: {@code ctx.manager()}, one dict operation, {@code shutdown()}; 5 samples. FORK and FORKSERVER: each child
 * and each manager from a warm JVM, waited for before the rep (not timed), as the other figures do.
 */
public final class ManagerFigure implements Figure {
    @Override public String key() { return "manager"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = p.get("manager_ops");
        List<Double> rates = new ArrayList<>(), starts = new ArrayList<>();
        for (int i = 0; i < p.get("manager_start_reps"); i++) {
            Figures.awaitWarmJvms(ctx, method);
            long t0 = System.nanoTime();
            SyncManager m = ctx.manager();
            m.<String, Integer>dict().put("k", 1);
            m.shutdown();
            starts.add((System.nanoTime() - t0) / 1e6);
        }
        try (SyncManager m = ctx.manager()) {
            for (int rep = 0; rep < p.get("manager_reps"); rep++) {
                Figures.awaitWarmJvms(ctx, method);
                DictProxy<Integer, Integer> d = m.dict(Integer.class, Integer.class);
                Path out = ctx.resourceDir().resolve("bench-manager-" + rep + "-" + System.nanoTime());
                MpProcess child = ctx.process(ManagerFigure::dictUser, d, n, out.toString());
                child.start();
                child.join();
                if (child.exitCode() != 0) throw new IllegalStateException(child.getName() + " exited with " + child.exitCode());
                long[] t = StartGate.read(out);
                Files.deleteIfExists(out);
                if (d.size() != Math.min(n, 100)) throw new IllegalStateException("manager dict holds " + d.size() + " keys");
                rates.add(2.0 * n / ((t[1] - t[0]) / 1e9));
            }
        }
        return List.of(Result.of("manager_dict_ops_per_s", "", "ops/s", "higher", rates),
                Result.of("manager_startup_ms", "", "ms", "lower", starts));
    }

    /** The child: {@code n} puts and {@code n} gets through the proxy (100 keys); reports its start and end. */
    public static void dictUser(DictProxy<Integer, Integer> d, Integer n, String out) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            d.put(i % 100, i);
            d.get(i % 100);
        }
        long t1 = System.nanoTime();
        StartGate.report(out, t0, t1);
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("manager_dict_ops_per_s", "", "ops/s", "higher", why),
                Result.notBuilt("manager_startup_ms", "", "ms", "lower", why));
    }
}
