package io.mp4j.examples;

import io.mp4j.Multiprocessing;
import io.mp4j.Pool;

import java.util.ArrayList;
import java.util.List;

/** A CPU-bound job (counting primes by trial division) run sequentially, then on a pool of 2: times and speedup. */
@Example(name = "cpu-speedup", description = "count primes sequentially and on Pool(2): the times and the speedup")
public final class CpuSpeedup {
    private CpuSpeedup() {}

    static final int LIMIT = 2_000_000;
    static final int CHUNKS = 64;

    /** Primes in [from, to), by odd trial division. */
    static int countPrimes(int from, int to) {
        int count = 0;
        for (int n = Math.max(from, 2); n < to; n++) {
            if (n < 4) { count++; continue; }
            if ((n & 1) == 0) continue;
            boolean prime = true;
            for (int d = 3; d * d <= n; d += 2) {
                if (n % d == 0) { prime = false; break; }
            }
            if (prime) count++;
        }
        return count;
    }

    static List<List<?>> ranges(int limit, int chunks) {
        List<List<?>> out = new ArrayList<>();
        for (int i = 0; i < chunks; i++) out.add(List.of((int) ((long) limit * i / chunks), (int) ((long) limit * (i + 1) / chunks)));
        return out;
    }

    public static void main(String[] args) throws Exception {
        List<List<?>> ranges = ranges(LIMIT, CHUNKS);
        try (Pool pool = Multiprocessing.getContext().pool(2)) {
            pool.starmap(CpuSpeedup::countPrimes, ranges(20_000, 8), 1); // workers up and warm, as the sequential run warms this JVM
            countPrimes(0, 20_000);
            long t0 = System.nanoTime();
            int sequential = 0;
            for (List<?> r : ranges) sequential += countPrimes((Integer) r.get(0), (Integer) r.get(1));
            double seqSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            int parallel = pool.starmap(CpuSpeedup::countPrimes, ranges, 1).stream().mapToInt(Integer::intValue).sum();
            double poolSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.println("primes below " + LIMIT + ": " + sequential + (parallel == sequential ? "" : " (pool counted " + parallel + "!)"));
            System.out.printf("sequential: %.3f s%n", seqSeconds);
            System.out.printf("pool of 2 workers: %.3f s%n", poolSeconds);
            System.out.printf("speedup: %.2fx%n", seqSeconds / poolSeconds);
        }
    }
}
