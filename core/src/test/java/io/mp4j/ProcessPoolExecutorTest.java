package io.mp4j;

import io.mp4j.function.Call;
import io.mp4j.testkit.Await;
import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ProcessPoolExecutor: the ExecutorService contract, Python's map and shutdown. The executor is a {@link Pool}
 * behind the ExecutorService's methods: what depends on the start method (a worker's start, death, kill and
 * replacement, terminate, close) is {@link PoolTest}'s, in every start method; here one JVM start method and THREAD.
 */
class ProcessPoolExecutorTest {
    static List<StartMethod> methods() { return TestMethods.independentOfTheJvmStart(); }

    @ParameterizedTest @MethodSource("methods")
    void shouldRunSubmittedTasksAndInvokeAllAndInvokeAny(StartMethod m) throws Exception {
        Path f = TestFiles.file("exec-init", ".txt");
        try (ProcessPoolExecutor ex = Multiprocessing.getContext(m).executorBuilder().maxWorkers(2)
                .initializer(PoolTasks::init, f.toString()).maxTasksPerChild(100).build()) {
            assertThat(ex.submit((Call<Integer>) PoolTasks::answer).get()).isEqualTo(42);
            assertThat(ex.submit(PoolTasks::square, 12).get()).isEqualTo(144);
            assertThat(ex.submit((Runnable & Serializable) PoolTasks::noop).get()).isNull();
            assertThat(ex.submit((Runnable & Serializable) PoolTasks::noop, "done").get()).isEqualTo("done");
            Callable<Integer> plain = () -> 1;
            assertThatThrownBy(() -> ex.submit(plain)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serializable");
            List<Call<Integer>> calls = List.of(() -> PoolTasks.square(2), () -> PoolTasks.square(3), () -> PoolTasks.failIfOdd(5));
            List<Future<Integer>> all = ex.invokeAll(calls);
            assertThat(all.get(0).get()).isEqualTo(4);
            assertThat(all.get(1).get()).isEqualTo(9);
            assertThatThrownBy(() -> all.get(2).get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).cause().isInstanceOf(RemoteTraceback.class);
            List<Call<Integer>> race = List.of(() -> PoolTasks.failIfOdd(1), () -> PoolTasks.sleepMillis(5));
            assertThat(ex.invokeAny(race)).isEqualTo(5);
            CompletableFuture<Integer> chained = ex.submit(PoolTasks::square, 3).thenApply(v -> v + 1);
            assertThat(chained.get()).isEqualTo(10);
            assertThat(ex.stats().tasksCompleted()).isGreaterThanOrEqualTo(7);
        } finally {
            assertThat(Files.readAllLines(f)).isNotEmpty();
            Files.deleteIfExists(f);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldMapInOrderAndThrowTimeoutWhenTheNextResultIsLate(StartMethod m) throws Exception {
        ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(2);
        try {
            List<Integer> got = new ArrayList<>();
            for (int v : ex.map(PoolTasks::square, List.of(1, 2, 3, 4))) got.add(v);
            assertThat(got).containsExactly(1, 4, 9, 16);
            ResultIterator<Integer> it = ex.map(PoolTasks::sleepMillis, List.of(1, 2, 20_000, 3), Duration.ofMillis(1500), 1);
            assertThat(it.next()).isEqualTo(1);
            assertThat(it.next()).isEqualTo(2);
            long t0 = System.nanoTime();
            assertThatThrownBy(it::next).isInstanceOf(CompletionException.class).cause().isInstanceOf(TimeoutException.class);
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
            // the late item was cancelled: its worker was replaced, the executor goes on
            assertThat(ex.submit(PoolTasks::square, 5).get(30, TimeUnit.SECONDS)).isEqualTo(25);
        } finally {
            ex.shutdownNow();
            assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldCancelQueuedFuturesOnShutdownAndKillWorkersOnShutdownNow(StartMethod m) throws Exception {
        ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(1);
        Path marker = TestFiles.absentFile("exec-running", ".txt");
        CompletableFuture<Integer> running = ex.submit(PoolTasks::markThenSleep, marker.toString(), 300);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) queued.add(ex.submit(PoolTasks::sleepMillis, 20_000));
        PoolTest.awaitFile(marker);
        ex.shutdown(true, true);
        Files.deleteIfExists(marker);
        assertThat(running.get()).isEqualTo(300);
        for (CompletableFuture<Integer> q : queued) assertThat(q.isCancelled()).isTrue();
        assertThat(ex.isShutdown()).isTrue();
        assertThat(ex.isTerminated()).isTrue();
        assertThatThrownBy(() -> ex.submit(PoolTasks::square, 1)).isInstanceOf(IllegalStateException.class);

        ProcessPoolExecutor now = Multiprocessing.getContext(m).processPoolExecutor(1);
        CompletableFuture<Integer> hung = now.submit(PoolTasks::sleepMillis, 20_000);
        Await.until("the worker started", () -> !now.workerPids().isEmpty());
        assertThat(now.shutdownNow()).isEmpty();
        assertThat(now.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(hung::get).isInstanceOf(CancellationException.class);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldFailOnlyTheFutureOfADyingWorkerAndCancelARunningOne(StartMethod m) throws Exception {
        try (ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(2)) {
            assertThatThrownBy(() -> ex.submit(PoolTasks::exitWith, 3).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WorkerDiedException.class).hasMessageContaining("code 3");
            Path marker = TestFiles.absentFile("exec-cancel", ".txt");
            CompletableFuture<Integer> r = ex.submit(PoolTasks::markThenSleep, marker.toString(), 20_000);
            PoolTest.awaitFile(marker);
            assertThat(r.cancel(true)).isTrue();
            assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
            assertThat(ex.submit(PoolTasks::square, 6).get()).isEqualTo(36);
            assertThat(ex.stats().workersReplaced()).isEqualTo(2);
            Files.deleteIfExists(marker);
        }
    }
}
