package io.mp4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mp4j.Futures.ReturnWhen.ALL_COMPLETED;
import static io.mp4j.Futures.ReturnWhen.FIRST_COMPLETED;
import static io.mp4j.Futures.ReturnWhen.FIRST_EXCEPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Python's concurrent.futures.wait and as_completed over any future, and the executor's map with a buffersize. */
class FuturesTest {
    private static CompletableFuture<Integer> later(long millis, int value) {
        return CompletableFuture.supplyAsync(() -> value, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldReturnAtTheFirstCompletionWithTheDoneAndTheRest() throws Exception {
        CompletableFuture<Integer> soon = later(50, 1), never = new CompletableFuture<>();
        Futures.DoneAndNotDone<CompletableFuture<Integer>> r = Futures.wait(List.of(never, soon), Duration.ofSeconds(30), FIRST_COMPLETED);
        assertThat(r.done()).containsExactly(soon);
        assertThat(r.notDone()).containsExactly(never);
    }

    @Test
    void shouldReturnAtTheFirstExceptionOrWhenAllAreDone() throws Exception {
        CompletableFuture<Integer> ok = CompletableFuture.completedFuture(1), never = new CompletableFuture<>();
        CompletableFuture<Integer> failing = CompletableFuture.supplyAsync(() -> { throw new IllegalStateException("x"); },
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        CompletableFuture<Integer> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        var r = Futures.wait(List.of(ok, cancelled, never, failing), Duration.ofSeconds(30), FIRST_EXCEPTION);
        assertThat(r.done()).as("a cancelled future is no exception: it waited for the failing one").containsExactly(ok, cancelled, failing);
        assertThat(r.notDone()).containsExactly(never);
        var all = Futures.wait(List.of(ok, later(30, 2)), null, FIRST_EXCEPTION);
        assertThat(all.notDone()).as("no exception: as ALL_COMPLETED").isEmpty();
    }

    @Test
    void shouldReturnWhatIsDoneAtTheTimeoutAndNotWaitForANonPositiveOne() throws Exception {
        CompletableFuture<Integer> done = CompletableFuture.completedFuture(1), never = new CompletableFuture<>();
        long t0 = System.nanoTime();
        var r = Futures.wait(List.of(done, never, done), Duration.ofMillis(100), ALL_COMPLETED);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(r.done()).as("each future once").containsExactly(done);
        assertThat(r.notDone()).containsExactly(never);
        t0 = System.nanoTime();
        assertThat(Futures.wait(List.of(never), Duration.ofSeconds(-1), ALL_COMPLETED).notDone()).containsExactly(never);
        assertThat(Futures.wait(List.of(never), Duration.ZERO, FIRST_COMPLETED).notDone()).containsExactly(never);
        assertThat(System.nanoTime() - t0).as("no wait").isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void shouldWatchAFutureThatIsNoCompletionStageByPolling() throws Exception {
        FutureTask<Integer> task = new FutureTask<>(() -> 7);
        Thread waiter = Thread.currentThread();
        Thread.ofPlatform().start(() -> {
            // completes the task once the wait below polls (parked between looks)
            io.mp4j.testkit.Await.until("the wait polls", () -> waiter.getState() == Thread.State.TIMED_WAITING);
            task.run();
        });
        var r = Futures.wait(List.<Future<Integer>>of(task), Duration.ofSeconds(30), ALL_COMPLETED);
        assertThat(r.done()).containsExactly(task);
    }

    @Test
    void shouldYieldFuturesAsTheyCompleteTheDoneOnesFirstAndTimeOutFromTheCall() throws Exception {
        CompletableFuture<Integer> slow = later(300, 3), fast = later(50, 2), done = CompletableFuture.completedFuture(1);
        List<Integer> order = new ArrayList<>();
        for (CompletableFuture<Integer> f : Futures.asCompleted(List.of(slow, fast, done), Duration.ofSeconds(30))) order.add(f.join());
        assertThat(order).containsExactly(1, 2, 3);

        CompletableFuture<Integer> never = new CompletableFuture<>();
        Iterator<CompletableFuture<Integer>> it = Futures.asCompleted(List.of(never, done), Duration.ofMillis(100));
        assertThat(it.next()).isSameAs(done);
        assertThat(it.hasNext()).isTrue();
        assertThatThrownBy(it::next).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutException.class);
    }

    /** The library's own futures, the executor's and the pool's: parent-side objects, whichever way the workers started. */
    @ParameterizedTest
    @EnumSource(names = {"SPAWN", "THREAD"})
    void shouldWaitForTheExecutorsAndThePoolsFutures(StartMethod m) throws Exception {
        Context ctx = Multiprocessing.getContext(m);
        try (ProcessPoolExecutor ex = ctx.processPoolExecutor(2)) {
            CompletableFuture<Long> slow = ex.submit(ProcessTargets::slowIdentity, 60_000L);
            CompletableFuture<Long> quick = ex.submit(ProcessTargets::slowIdentity, 1L);
            var r = Futures.wait(List.of(slow, quick), Duration.ofSeconds(60), FIRST_COMPLETED);
            assertThat(r.done()).containsExactly(quick);
            assertThat(Futures.asCompleted(List.of(slow, quick), null).next()).isSameAs(quick);
            slow.cancel(true);
        }
        try (Pool pool = ctx.pool(1)) {
            AsyncResult<Long> a = pool.applyAsync(ProcessTargets::slowIdentity, 1L);
            assertThat(Futures.wait(List.of(a), Duration.ofSeconds(60), ALL_COMPLETED).done()).containsExactly(a);
            assertThat(a.get()).isEqualTo(1L);
        }
    }

    /** Python 3.14's buffersize: an endless iterator of items, at most that many tasks in flight, results in order. */
    @ParameterizedTest
    @EnumSource(names = {"SPAWN", "THREAD"})
    void shouldMapOverAnEndlessIteratorWithAtMostBuffersizeTasksInFlight(StartMethod m) throws Exception {
        AtomicInteger taken = new AtomicInteger();
        Iterable<Long> endless = () -> new Iterator<>() {
            @Override public boolean hasNext() { return true; }
            @Override public Long next() { return (long) taken.incrementAndGet(); }
        };
        try (ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(2)) {
            ResultIterator<Long> it = ex.map(ProcessTargets::slowIdentity, endless, Duration.ofSeconds(60), 1, 3);
            assertThat(taken.get()).as("items taken before any result").isEqualTo(3);
            for (long i = 1; i <= 10; i++) {
                assertThat(it.next()).isEqualTo(i);
                assertThat(taken.get()).as("items taken once %d results were returned", i).isLessThanOrEqualTo((int) i + 3);
            }
            it.cancel();
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(() -> ex.map(ProcessTargets::slowIdentity, endless, null, 1, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffersize=0");
            assertThatThrownBy(() -> ex.map(ProcessTargets::slowIdentity, endless, null, 2, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize=2");
        }
    }
}
