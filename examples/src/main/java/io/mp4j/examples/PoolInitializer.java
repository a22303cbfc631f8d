package io.mp4j.examples;

import io.mp4j.Multiprocessing;
import io.mp4j.Pool;

/**
 * A pool of one worker with an initializer and maxtasksperchild=1: the initializer's line appears twice,
 * from two different workers, since the first one exits after its one task and is replaced.
 */
@Example(name = "pool-initializer", description = "Pool(1) with an initializer and maxtasksperchild=1: apply(square, 3) prints 9; the initializer runs in two workers")
public final class PoolInitializer {
    private PoolInitializer() {}

    static void init(long mainId) {
        System.out.println("pool process with id " + ProcessHandle.current().pid() + " received a task from main process with id " + mainId);
    }

    static int square(int x) { return x * x; }

    public static void main(String[] args) throws Exception {
        long mainProcessId = ProcessHandle.current().pid();
        Pool pool = Multiprocessing.getContext().poolBuilder()
                .processes(1)
                .initializer(PoolInitializer::init, mainProcessId)
                .maxTasksPerChild(1)
                .build();
        int result = pool.apply(PoolInitializer::square, 3);
        System.out.println(result);
        // Python sleeps 6 s here so that the replacement worker starts and prints; closing and joining waits for exactly that
        pool.close();
        pool.join();
    }
}
