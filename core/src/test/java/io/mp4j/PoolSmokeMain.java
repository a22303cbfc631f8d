package io.mp4j;

import java.util.List;

public final class PoolSmokeMain {
    public static void main(String[] a) throws Exception {
        StartMethod m = StartMethod.parse(a.length > 0 ? a[0] : "spawn");
        long t0 = System.nanoTime();
        try (Pool p = Multiprocessing.getContext(m).pool(2)) {
            System.out.println(p.apply(PoolTasks::square, 7) + " in " + (System.nanoTime() - t0) / 1e6 + " ms");
            System.out.println(p.map(PoolTasks::square, List.of(1, 2, 3, 4, 5)));
            try {
                p.apply(PoolTasks::failIfOdd, 3);
            } catch (Exception e) {
                e.printStackTrace();
            }
            long t1 = System.nanoTime();
            List<Integer> big = new java.util.ArrayList<>();
            for (int i = 0; i < 100_000; i++) big.add(i);
            for (int r = 0; r < 5; r++) {
                t1 = System.nanoTime();
                p.map(PoolTasks::square, big, 1);
                System.out.println("map chunksize1 " + 100_000 / ((System.nanoTime() - t1) / 1e9) + " /s");
                t1 = System.nanoTime();
                p.map(PoolTasks::square, big);
                System.out.println("map default " + 100_000 / ((System.nanoTime() - t1) / 1e9) + " /s");
            }
            for (int r = 0; r < 3; r++) {
                t1 = System.nanoTime();
                for (int i = 0; i < 2000; i++) p.apply(PoolTasks::square, i);
                System.out.println("apply " + (System.nanoTime() - t1) / 2000 / 1e3 + " us");
            }
            System.out.println(p.stats());
        }
    }
}
