package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.Pool;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.cluster.ClusterContext;
import io.mp4j.cluster.LocalCluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code cluster_cpu_s.{pool2,cluster2}} and {@code cluster_cpu_ratio.cluster2_over_pool2}: the CPU-bound job of
 * {@code cpu_bound} (primes by trial division in equal ranges, {@code map(chunksize=1)}) on a warm local Pool(2) and
 * on a cluster of two server JVMs started on this machine (loopback), both warmed until their JIT settles; reps
 * interleaved, the ratio per rep (cluster time over pool time: above 1 is slower). On one machine the two nodes
 * share the cores the pool's two workers use, so this measures the cluster's overhead (compute jobs through Ignite,
 * round trips over TCP), never a speedup: a cluster pays off when its nodes are other machines. Spawn only (the
 * nodes do not depend on a start method). Java only: CPython has no cluster back end.
 */
public final class ClusterCpuFigure implements Figure {
    @Override public String key() { return "cluster_cpu"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return method.equals("spawn"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int below = p.get("primes_below");
        List<long[]> chunks = Arrays.asList(BenchTasks.chunks(below, p.get("primes_chunks")));
        int reps = p.get("cpu_reps");
        int total = CpuBoundFigure.sequential(chunks);
        List<Double> local = new ArrayList<>(), cluster = new ArrayList<>();
        try (PoolApi pool2 = PoolApi.open(ctx, 2);
             ClusterContext cc = ClusterContext.startLocal(2);
             Pool nodes = cc.pool(2)) {
            CpuBoundFigure.warm(p, () -> pool2.map(BenchTasks::countPrimesChunk, chunks, 1));
            CpuBoundFigure.warm(p, () -> nodes.map(BenchTasks::countPrimesChunk, chunks, 1), 20, 20_000_000_000L);
            for (int r = 0; r < reps; r++) {
                local.add(time(() -> check(sum(pool2.map(BenchTasks::countPrimesChunk, chunks, 1)), total)));
                cluster.add(time(() -> check(sum(nodes.map(BenchTasks::countPrimesChunk, chunks, 1)), total)));
            }
        }
        return List.of(Result.of("cluster_cpu_s", "pool2", "s", "lower", local),
                Result.of("cluster_cpu_s", "cluster2", "s", "lower", cluster),
                Result.of("cluster_cpu_ratio", "cluster2_over_pool2", "x", "lower", CpuBoundFigure.ratios(cluster, local)));
    }

    private static int sum(List<Integer> parts) {
        int s = 0;
        for (int v : parts) s += v;
        return s;
    }

    private static void check(int got, int expected) {
        if (got != expected) throw new IllegalStateException("the map counted " + got + " primes, sequentially " + expected);
    }

    private static double time(CpuBoundFigure.Run r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("cluster_cpu_s", "pool2", "s", "lower", why),
                Result.notBuilt("cluster_cpu_s", "cluster2", "s", "lower", why),
                Result.notBuilt("cluster_cpu_ratio", "cluster2_over_pool2", "x", "lower", why));
    }
}
