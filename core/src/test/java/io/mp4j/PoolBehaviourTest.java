package io.mp4j;

import io.mp4j.testkit.Await;
import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviours the rebuilt pool promises (issue 23), each in every start method. */
class PoolBehaviourTest {
    static List<StartMethod> methods() { return TestMethods.list(); }

    @ParameterizedTest @MethodSource("methods")
    void aTaskSubmittedAfterEveryIdleWorkerDiedRunsOnAReplacementInsteadOfFailing(StartMethod m) throws Exception {
        try (Pool pool = Multiprocessing.getContext(m).pool(2)) {
            assertThat(pool.awaitWorkers(60, TimeUnit.SECONDS)).isTrue();
            if (m.isProcess()) {
                List<ProcessHandle> hs = pool.workerPids().stream().map(p -> ProcessHandle.of(p).orElseThrow()).toList();
                hs.forEach(ProcessHandle::destroyForcibly);
                for (ProcessHandle h : hs) h.onExit().get(30, TimeUnit.SECONDS);
            } else {
                // a THREAD worker dies when its thread ends: each runs one task that names its thread, then, idle, is interrupted
                String key = "idle-" + System.nanoTime();
                pool.starmap(PoolTasks::meetWorkerThreads, List.of(List.of(key, 2), List.of(key, 2)), 1);
                List<Thread> ts = PoolTasks.THREADS.remove(key);
                ts.forEach(Thread::interrupt);
                for (Thread t : ts) Await.ended(t, Duration.ofSeconds(30));
            }
            long failedBefore = pool.stats().tasksFailed();
            List<AsyncResult<Integer>> rs = new ArrayList<>();
            for (int i = 0; i < 4; i++) rs.add(pool.applyAsync(PoolTasks::square, i));
            for (int i = 0; i < 4; i++) assertThat(rs.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * i);
            assertThat(pool.stats().tasksFailed()).isEqualTo(failedBefore);
            assertThat(pool.stats().workersReplaced()).isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void anExecutorReusesIdleWorkersBeforeStartingNewOnes(StartMethod m) throws Exception {
        try (ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(5)) {
            List<CompletableFuture<Integer>> blocked = new ArrayList<>();
            for (int i = 0; i < 3; i++) blocked.add(ex.submit(PoolTasks::sleepMillis, 500));
            for (CompletableFuture<Integer> f : blocked) assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(500);
            assertThat(ex.stats().workersStarted()).as("three blocked tasks start three workers").isEqualTo(3);
            for (int i = 0; i < 6; i++) assertThat(ex.submit(PoolTasks::square, i).get(60, TimeUnit.SECONDS)).isEqualTo(i * i);
            assertThat(ex.stats().workersStarted()).as("idle workers took the later tasks").isEqualTo(3);
        }
    }

    /** The worker says it is idle before its result is out: a caller that got it and submits again finds the worker free. */
    @ParameterizedTest @EnumSource(names = {"THREAD", "SPAWN"})
    void aCallerThatGotItsResultAndSubmitsAgainReusesTheSameWorker(StartMethod m) throws Exception {
        try (ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(4)) {
            for (int i = 0; i < 300; i++) {
                assertThat(ex.submit(PoolTasks::square, i).get(60, TimeUnit.SECONDS)).isEqualTo(i * i);
                assertThat(ex.stats().workersStarted()).as("workers started after %d round trips, one at a time", i + 1).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void aFailingMapItemStopsNoOtherItemAndCloseThenJoinWaitsForThemAll(StartMethod m) throws Exception {
        Path dir = TestFiles.shmDir("map-fail");
        try {
            Pool pool = Multiprocessing.getContext(m).pool(2);
            List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7);
            String d = dir.toString();
            AsyncResult<List<Integer>> r = pool.mapAsync(i -> PoolTasks.failFirstOthersTouch(d, i), items, 1);
            pool.close();
            pool.join();
            assertThatThrownBy(r::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class).hasMessage("item 0 fails");
            for (int i = 1; i < items.size(); i++) assertThat(dir.resolve("item-" + i)).as("item %d ran to its end", i).exists();
            assertThat(pool.stats().tasksCompleted()).isEqualTo(7);
            assertThat(pool.stats().tasksFailed()).isEqualTo(1);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void imapYieldsTheResultsBeforeAFailingInputAndRaisesItsErrorAtThatPosition(StartMethod m) throws Exception {
        try (Pool pool = Multiprocessing.getContext(m).pool(2)) {
            List<Object> items = new ArrayList<>(List.of(1, 2, Thread.currentThread(), 4, 5));
            ResultIterator<Object> it = pool.imap(PoolTasks::identity, items);
            assertThat(it.next()).isEqualTo(1);
            assertThat(it.next()).isEqualTo(2);
            assertThatThrownBy(it::next).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 2").hasMessageContaining("cannot be sent");
            assertThat(it.next()).isEqualTo(4);
            assertThat(it.next()).isEqualTo(5);
            assertThat(it.hasNext()).isFalse();
            // an iterable that throws ends the items there, its exception at that position
            Iterable<Integer> broken = () -> new Iterator<>() {
                int i;

                @Override public boolean hasNext() { return true; }

                @Override public Integer next() {
                    if (i == 3) throw new NoSuchElementException("the source ran dry at 3");
                    return i++;
                }
            };
            ResultIterator<Integer> it2 = pool.imap(PoolTasks::square, broken);
            assertThat(List.of(it2.next(), it2.next(), it2.next())).containsExactly(0, 1, 4);
            assertThatThrownBy(it2::next).isInstanceOf(CompletionException.class).cause().hasMessage("the source ran dry at 3");
            assertThat(it2.hasNext()).isFalse();
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void maxTasksPerChildZeroIsRefusedSinceNoLimitMeansUnset(StartMethod m) {
        Context ctx = Multiprocessing.getContext(m);
        assertThatThrownBy(() -> ctx.poolBuilder().maxTasksPerChild(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTasksPerChild=0");
        assertThatThrownBy(() -> ctx.pool(1, PoolTasks::init, "unused", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTasksPerChild=0");
        assertThatThrownBy(() -> ctx.executorBuilder().maxTasksPerChild(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest @MethodSource("methods")
    void anExecutorThatIsNeverShutDownRunsItsTasksBeforeTheJvmExits(StartMethod m) throws Exception {
        Path f = TestFiles.absentFile("exec-exit", ".txt");
        try {
            JvmRun run = JvmRun.start(Duration.ofSeconds(90), List.of(), PoolTasks.ExecutorNeverShutDown.class, m.pythonName(), f.toString());
            assertThat(run.await()).as("stderr: %s", run.stderr()).isZero();
            assertThat(run.stdout()).contains("submitted");
            assertThat(f).as("the task's file; stderr: %s", run.stderr()).exists();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void aWorkerWhoseResidentMemoryIsOverTheLimitAfterATaskIsReplaced(StartMethod m) throws Exception {
        Context ctx = Multiprocessing.getContext(m);
        long limit = 200L << 20;
        if (!m.isProcess()) {
            assertThatThrownBy(() -> ctx.poolBuilder().processes(1).maxMemoryPerChild(limit).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("THREAD").hasMessageContaining("maxMemoryPerChild=" + limit);
            return;
        }
        assertThatThrownBy(() -> ctx.poolBuilder().maxMemoryPerChild(0)).hasMessageContaining("maxMemoryPerChild=0");
        try (Pool pool = ctx.poolBuilder().processes(1).maxMemoryPerChild(limit).build()) {
            long first = pool.apply(PoolTasks::pid, 0);
            assertThat(pool.apply(PoolTasks::residentAfterKeeping, 0)).as("an idle worker's resident memory").isLessThan(limit);
            assertThat(pool.apply(PoolTasks::pid, 0)).as("under the limit: the same worker").isEqualTo(first);
            assertThat(pool.apply(PoolTasks::residentAfterKeeping, 220)).isGreaterThan(limit);
            assertThat(pool.apply(PoolTasks::pid, 0)).as("over the limit: a new worker").isNotEqualTo(first);
            assertThat(pool.stats().workersReplaced()).isEqualTo(1);
            assertThat(pool.stats().tasksFailed()).isZero();
        }
    }
}
