package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.shm.Value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * {@code value_lock_increments_per_s} and {@code value_lock_final_exact}: 2 processes × 100,000
 * {@code lock(); v.set(v.getLong() + 1); unlock()} on a shared {@code Value('i', 0)} with its own RLock
 * ({@code getLock()}; Python's {@code with v.get_lock(): v.value += 1}); from the first start to the last end
 * (after a start gate, on one monotonic clock); exact = the final value is 200,000; 3 reps, each with the
 * context's warm JVMs ready (FORK, FORKSERVER; not timed).
 */
public final class ValueLockFigure implements Figure {
    @Override public String key() { return "value_lock"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = p.get("lock_items");
        List<Double> rates = new ArrayList<>(), exact = new ArrayList<>();
        for (int rep = 0; rep < p.get("lock_reps"); rep++) {
            // every rep's two children from warm JVMs (not timed), as the first rep's are: back to back, the
            // standbys the last rep took are not warm again yet, and the rep would start fresh JVMs instead
            Figures.awaitWarmJvms(ctx, method);
            Value v = newValue(ctx);
            rates.add(rate(ctx, n, (gate, out) -> ctx.process(ValueLockFigure::incrementer, v, gate, n, out)));
            exact.add(v.getLong() == 2L * n ? 1.0 : 0.0);
        }
        return List.of(Result.of("value_lock_increments_per_s", "", "incr/s", "higher", rates),
                Result.of("value_lock_final_exact", "", "bool", "higher", exact));
    }

    /** Makes one incrementing child (not started) given the start gate's path and its report file's path. */
    @FunctionalInterface
    interface Incrementer {
        MpProcess make(String gatePath, String outPath);
    }

    /**
     * Starts two children of {@code incrementer} ({@code n} locked increments each), opens the start gate once
     * both wait at it, joins them: increments per second from the first start to the last end.
     */
    static double rate(Context ctx, int n, Incrementer incrementer) throws Exception {
        StartGate gate = StartGate.create(ctx.resourceDir());
        List<MpProcess> procs = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Path out = ctx.resourceDir().resolve("bench-lock-" + i + "-" + System.nanoTime());
                outs.add(out);
                procs.add(incrementer.make(gate.path(), out.toString()));
            }
            for (MpProcess pr : procs) pr.start();
            gate.open(2, () -> procs.stream().allMatch(MpProcess::isAlive));
            for (MpProcess pr : procs) {
                pr.join();
                if (pr.exitCode() != 0) throw new IllegalStateException(pr.getName() + " exited with " + pr.exitCode());
            }
            long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
            for (Path out : outs) {
                long[] t = StartGate.read(out);
                first = Math.min(first, t[0]);
                last = Math.max(last, t[1]);
                Files.deleteIfExists(out);
            }
            return 2.0 * n / ((last - first) / 1e9);
        } finally {
            gate.delete();
        }
    }

    /** Python's {@code Value('i', 0)}: with a new RLock. */
    static Value newValue(Context ctx) { return ctx.value('i', 0); }

    /** A child: {@code n} locked increments; reports its start (after the gate) and end. */
    public static void incrementer(Value v, String gatePath, Integer n, String out) throws Exception {
        Lock lock = v.getLock();
        long t0, t1;
        try (StartGate gate = StartGate.attach(gatePath)) {
            gate.await();
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lock.lock();
                try {
                    v.set(v.getLong() + 1);
                } finally {
                    lock.unlock();
                }
            }
            t1 = System.nanoTime();
        }
        StartGate.report(out, t0, t1);
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("value_lock_increments_per_s", "", "incr/s", "higher", why),
                Result.notBuilt("value_lock_final_exact", "", "bool", "higher", why));
    }
}
