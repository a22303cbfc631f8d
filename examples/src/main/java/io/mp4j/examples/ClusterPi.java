package io.mp4j.examples;

import io.mp4j.BaseContext;
import io.mp4j.Pool;
import io.mp4j.cluster.ClusterContext;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Estimates pi by throwing darts, on a cluster: a local cluster of two server JVMs on loopback, which the same code
 * would use unchanged on nodes started by hand on several machines ({@code bin/mp4j node}). {@link #estimate} takes a
 * {@link BaseContext}: given {@code Multiprocessing.getContext()} it runs on child JVMs of this machine instead.
 * Seeds are fixed, so the estimate is the same on every run and every back end.
 */
@Example(name = "cluster-pi", description = "estimate pi on a local 2-node cluster (two JVMs on loopback) with the same Pool API",
        everyStartMethod = false)
public final class ClusterPi {
    private ClusterPi() {}

    static final int CHUNKS = 16;
    static final int DARTS_PER_CHUNK = 2_000_000;

    /** Darts of chunk {@code seed} that fall inside the quarter circle. */
    static Long hits(Integer seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long in = 0;
        for (int i = 0; i < DARTS_PER_CHUNK; i++) {
            double x = r.nextDouble(), y = r.nextDouble();
            if (x * x + y * y <= 1) in++;
        }
        return in;
    }

    /** The estimate, computed on {@code ctx}'s pool. */
    static double estimate(BaseContext ctx) throws Exception {
        List<Integer> seeds = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) seeds.add(i);
        try (Pool pool = ctx.pool(4)) {
            long in = 0;
            for (long h : pool.map(ClusterPi::hits, seeds, 1)) in += h;
            return 4.0 * in / ((long) CHUNKS * DARTS_PER_CHUNK);
        }
    }

    public static void main(String[] args) throws Exception {
        try (ClusterContext ctx = ClusterContext.startLocal(2)) {
            System.out.println("a cluster of " + ctx.servers().size() + " server nodes");
            System.out.printf("pi is about %.4f (%d darts in %d chunks)%n", estimate(ctx), (long) CHUNKS * DARTS_PER_CHUNK, CHUNKS);
        }
    }
}
