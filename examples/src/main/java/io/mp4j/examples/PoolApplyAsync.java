package io.mp4j.examples;

import io.mp4j.AsyncResult;
import io.mp4j.Multiprocessing;
import io.mp4j.Pool;

/** apply_async with a callback and an error callback: the callback prints the result. */
@Example(name = "pool-apply-async", description = "apply_async(square, 9) with callbacks: the callback prints result is 81")
public final class PoolApplyAsync {
    private PoolApplyAsync() {}

    static void init(long mainId) {
        System.out.println("pool process with id " + ProcessHandle.current().pid() + " received a task from main process with id " + mainId);
    }

    static int square(int x) { return x * x; }

    static void onSuccess(int result) { System.out.println("result is " + result); }

    static void onError(Throwable err) { System.out.println("error is " + err); }

    public static void main(String[] args) throws Exception {
        long mainProcessId = ProcessHandle.current().pid();
        Pool pool = Multiprocessing.getContext().poolBuilder()
                .processes(1)
                .initializer(PoolApplyAsync::init, mainProcessId)
                .maxTasksPerChild(2)
                .build();
        AsyncResult<Integer> result = pool.applyAsync(PoolApplyAsync::square, 9, PoolApplyAsync::onSuccess, PoolApplyAsync::onError);
        // Python sleeps 6 s to keep main alive until the callback has run; waiting for the result does exactly that
        result.await();
        pool.close();
        pool.join();
    }
}
