package io.mp4j.examples;

import io.mp4j.Multiprocessing;
import io.mp4j.ProcessPoolExecutor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * executor.map with a timeout: the squares of 1 to 4 come back, then item 5 sleeps for 10 seconds and the
 * iterator gives up 2 seconds after the map started. Python lets the TimeoutError end the program; here it
 * is printed, and the sleeping worker is killed on the way out instead of being waited for.
 */
@Example(name = "executor-map-timeout", description = "executor.map(square, 1..10, timeout=2) while item 5 sleeps 10 s: 1, 4, 9, 16, then the timeout")
public final class ExecutorMapTimeout {
    private ExecutorMapTimeout() {}

    static int square(int item) throws InterruptedException {
        if (item == 5) Thread.sleep(10_000);
        return item * item;
    }

    public static void main(String[] args) throws Exception {
        ProcessPoolExecutor executor = Multiprocessing.getContext().processPoolExecutor(2);
        try {
            executor.prestartAllWorkers(); // Python's workers are threads, ready at once: start the clock with ours ready too
            Iterable<Integer> it = executor.map(ExecutorMapTimeout::square, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Duration.ofSeconds(2), 1);
            for (int sq : it) System.out.println(sq);
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof TimeoutException t)) throw e;
            System.out.println("TimeoutError: " + t.getMessage());
        } finally {
            executor.shutdownNow();
        }
    }
}
