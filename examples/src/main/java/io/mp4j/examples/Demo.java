package io.mp4j.examples;

import io.mp4j.Multiprocessing;
import io.mp4j.Pool;
import io.mp4j.Progress;

import java.util.List;

/**
 * {@code bin/mp4j demo [N] [--start-method M]}: counts the primes below N (default 5,000,000) by trial
 * division, split into equal ranges over a pool with one worker per processor, with a progress bar; then
 * the same on a pool of one worker, and prints the answer, both times and the speedup.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        int limit = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 5_000_000;
        if (limit < 2) throw new IllegalArgumentException("N must be at least 2: N=" + limit);
        int workers = Multiprocessing.cpuCount();
        int chunks = Math.max(16, workers * 16);
        List<List<?>> ranges = CpuSpeedup.ranges(limit, chunks);
        System.out.printf("Counting primes below %,d in %d ranges (start method %s)%n", limit, chunks, Multiprocessing.getStartMethod().pythonName());

        double oneWorker;
        try (Pool one = Multiprocessing.getContext().pool(1)) {
            one.awaitWorkers(60, java.util.concurrent.TimeUnit.SECONDS);
            one.starmap(CpuSpeedup::countPrimes, CpuSpeedup.ranges(50_000, 8), 1); // warm the worker's JIT
            long t0 = System.nanoTime();
            one.starmap(CpuSpeedup::countPrimes, ranges, 1, Progress.bar("1 worker "));
            oneWorker = (System.nanoTime() - t0) / 1e9;
        }
        try (Pool pool = Multiprocessing.getContext().pool(workers)) {
            pool.awaitWorkers(60, java.util.concurrent.TimeUnit.SECONDS);
            pool.starmap(CpuSpeedup::countPrimes, CpuSpeedup.ranges(50_000, 8 * workers), 1);
            long t0 = System.nanoTime();
            List<Integer> counts = pool.starmap(CpuSpeedup::countPrimes, ranges, 1, Progress.bar(workers + " workers"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long total = counts.stream().mapToLong(Integer::longValue).sum();
            System.out.printf("%,d primes below %,d%n", total, limit);
            System.out.printf("1 worker:  %.3f s%n", oneWorker);
            System.out.printf("%d workers: %.3f s%n", workers, seconds);
            System.out.printf("speedup: %.2fx over one worker%n", oneWorker / seconds);
            System.out.println(pool.stats());
        }
    }
}
