package io.mp4j.bench.figures;

/**
 * The child-side functions of the figures, as {@code ../shared/bench/python/workers.py}: static methods,
 * so that a child JVM finds them on the class path.
 */
public final class BenchTasks {
    private BenchTasks() {}

    /** Trivial target / task. */
    public static void noop() {}

    /** Trivial pool task (returns null as Python's noop). */
    public static Object noopFn(Object ignored) { return null; }

    /** Tiny task for the pool throughput and latency figures. */
    public static Integer inc(Integer x) { return x + 1; }

    /** The pid of the process running it. */
    public static Long pid(Object ignored) { return ProcessHandle.current().pid(); }

    /**
     * Counts primes p with lo &lt;= p &lt; hi by trial division by odd d, d*d &lt;= n: the same naive algorithm as
     * workers.py's {@code count_primes}, so that the work per chunk is comparable.
     */
    public static int countPrimes(long lo, long hi) {
        int count = 0;
        for (long n = Math.max(lo, 2); n < hi; n++) {
            if (n < 4) {
                count++;
                continue;
            }
            if (n % 2 == 0) continue;
            long d = 3;
            boolean prime = true;
            while (d * d <= n) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
                d += 2;
            }
            if (prime) count++;
        }
        return count;
    }

    /** {@link #countPrimes(long, long)} of a chunk {@code [lo, hi]} (a pool task takes one argument). */
    public static Integer countPrimesChunk(long[] bounds) { return countPrimes(bounds[0], bounds[1]); }

    /** The chunks of suite.py/scaling.py: {@code (N*i//C, N*(i+1)//C)}. */
    public static long[][] chunks(long below, int count) {
        long[][] c = new long[count][];
        for (int i = 0; i < count; i++) c[i] = new long[]{below * i / count, below * (i + 1) / count};
        return c;
    }
}
