package io.mp4j;

import io.mp4j.core.pool.StartThrottle;
import io.mp4j.function.Call;
import io.mp4j.testkit.Await;
import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Pool in every start method: every method, failures that must not hang, the life cycle.
 *
 * <p>Shared state, made explicit: one pool of 2 per start method ({@link #shared}) serves the tests that only use
 * a pool, as starting one costs JVMs. Each such test begins once both workers are up and idle (a worker killed or
 * replaced by an earlier test is back: {@code shared} waits for it), and reads the pool's counters as differences
 * from its own start. Tests of a pool's life cycle (close, terminate, timeouts, replacement) make their own.
 */
class PoolTest {
    static List<StartMethod> methods() { return TestMethods.list(); }
    static List<StartMethod> independentOfTheJvmStart() { return TestMethods.independentOfTheJvmStart(); }

    private static final Map<StartMethod, Pool> SHARED = new EnumMap<>(StartMethod.class);
    private static final Map<StartMethod, Path> INIT_FILES = new EnumMap<>(StartMethod.class);

    /**
     * The pool of 2 shared by the tests of one start method, at full strength (both workers up and idle); its
     * initializer appends the worker's pid to a file.
     */
    static synchronized Pool shared(StartMethod m) throws Exception {
        Pool p = SHARED.get(m);
        if (p == null) {
            Path f = TestFiles.file("pool-init", ".txt");
            INIT_FILES.put(m, f);
            p = Multiprocessing.getContext(m).poolBuilder().processes(2).initializer(PoolTasks::init, f.toString()).build();
            SHARED.put(m, p);
        }
        assertThat(p.awaitWorkers(60, TimeUnit.SECONDS)).as("the shared %s pool's two workers up", m).isTrue();
        return p;
    }

    /** How much {@code counter} of the pool's stats has grown since {@code before}, once it stops lagging the results. */
    private static long grown(Pool pool, PoolStats before, java.util.function.ToLongFunction<PoolStats> counter, long expected) {
        return Await.until("the pool's counter to grow by " + expected + " (before: " + before + ")",
                () -> counter.applyAsLong(pool.stats()) - counter.applyAsLong(before), d -> d == expected);
    }

    @AfterAll
    static void closeShared() throws Exception {
        for (Pool p : SHARED.values()) p.terminate();
        for (Pool p : SHARED.values()) assertThat(p.join(10, TimeUnit.SECONDS)).isTrue();
        for (Path f : INIT_FILES.values()) Files.deleteIfExists(f);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldApplyAndApplyAsyncWithCallbackBeforeTheResultIsReady(StartMethod m) throws Exception {
        Pool pool = shared(m);
        assertThat(pool.apply(PoolTasks::square, 7)).isEqualTo(49);
        assertThat(pool.apply(PoolTasks::add, 2, 3)).isEqualTo(5);
        assertThat(pool.apply((Call<Integer>) PoolTasks::answer)).isEqualTo(42);
        ConcurrentLinkedQueue<Object> seen = new ConcurrentLinkedQueue<>();
        AsyncResult<Integer> r = pool.applyAsync(PoolTasks::square, 9, v -> seen.add("result is " + v), seen::add);
        r.await();
        assertThat(r.ready()).isTrue();
        assertThat(r.successful()).isTrue();
        assertThat(seen).containsExactly("result is 81");
        assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo(81);
        AsyncResult<Integer> slow = pool.applyAsync(PoolTasks::sleepMillis, 300);
        assertThatThrownBy(slow::successful).isInstanceOf(IllegalStateException.class);
        assertThat(slow.await(1, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(slow.get()).isEqualTo(300);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldMapStarmapAndTheirAsyncFormsInItemOrder(StartMethod m) throws Exception {
        Pool pool = shared(m);
        List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        List<Integer> squares = items.stream().map(i -> i * i).toList();
        assertThat(pool.map(PoolTasks::square, items)).isEqualTo(squares);
        assertThat(pool.map(PoolTasks::square, items, 1)).isEqualTo(squares);
        assertThat(pool.map(PoolTasks::square, items, 7, Progress.bar("squares"))).isEqualTo(squares);
        assertThat(pool.map(PoolTasks::square, List.<Integer>of())).isEmpty();
        CompletableFuture<List<Integer>> viaCallback = new CompletableFuture<>();
        assertThat(pool.mapAsync(PoolTasks::square, items, 0, viaCallback::complete, viaCallback::completeExceptionally).get()).isEqualTo(squares);
        assertThat(viaCallback.get()).isEqualTo(squares);
        List<List<?>> pairs = List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6));
        assertThat(pool.starmap(PoolTasks::add, pairs)).containsExactly(3, 7, 11);
        assertThat(pool.starmap(PoolTasks::add, pairs, 1, Progress.bar("sums"))).containsExactly(3, 7, 11);
        assertThat(pool.starmapAsync(PoolTasks::add, pairs).get()).containsExactly(3, 7, 11);
        assertThat(pool.map(PoolTasks::list, List.of(3))).containsExactly(List.of(0, 1, 2));
        // arguments, captures and results far larger than a pipe's 64 KiB
        assertThat(pool.map(PoolTasks::list, List.of(100_000, 100_000, 100_000, 100_000), 1)).allSatisfy(l -> assertThat(l).hasSize(100_000));
        byte[] big = new byte[1 << 20];
        assertThat(pool.map(PoolTasks::length, List.of(big, big, big), 1)).containsExactly(1 << 20, 1 << 20, 1 << 20);
        assertThat(pool.map(i -> big.length + i, List.of(1, 2, 3), 1)).containsExactly((1 << 20) + 1, (1 << 20) + 2, (1 << 20) + 3);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldIterateImapInOrderAndImapUnorderedAsResultsFinish(StartMethod m) throws Exception {
        Pool pool = shared(m);
        List<Integer> got = new ArrayList<>();
        for (int v : pool.imap(PoolTasks::square, List.of(1, 2, 3, 4, 5))) got.add(v);
        assertThat(got).containsExactly(1, 4, 9, 16, 25);
        // unordered: the first item, held by one worker until the test opens its gate, comes after the others
        Path gate = TestFiles.absentFile("imap-gate", ""), late = TestFiles.absentFile("imap-late", "");
        String gateFile = gate.toString(), lateFile = late.toString();
        try {
            ResultIterator<Integer> it = pool.imapUnordered(i -> PoolTasks.whenFileExists(i == 0 ? gateFile : "/", i),
                    List.of(0, 1, 2, 3), 1);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) order.add(it.next(30, TimeUnit.SECONDS));
            assertThat(order).containsExactlyInAnyOrder(1, 2, 3);
            Files.createFile(gate);
            assertThat(it.next(30, TimeUnit.SECONDS)).isZero();
            assertThat(it.hasNext()).isFalse();
            ResultIterator<Integer> waiting = pool.imap(i -> PoolTasks.whenFileExists(lateFile, i), List.of(500), 1, Progress.bar("late"));
            assertThatThrownBy(() -> waiting.next(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            Files.createFile(late);
            assertThat(waiting.next(30, TimeUnit.SECONDS)).isEqualTo(500);
            assertThat(waiting.hasNext()).isFalse();
        } finally {
            Files.deleteIfExists(gate);
            Files.deleteIfExists(late);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldReturnTheTaskExceptionWithTheWorkersTraceAsCause(StartMethod m) throws Exception {
        Pool pool = shared(m);
        PoolStats before = pool.stats();
        assertThatThrownBy(() -> pool.apply(PoolTasks::failIfOdd, 3))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("odd: 3")
                .cause().isInstanceOf(RemoteTraceback.class)
                .hasMessageContaining("PoolTasks.failIfOdd").hasMessageContaining("Caused by: java.lang.IllegalStateException: root cause 3");
        CompletableFuture<Throwable> err = new CompletableFuture<>();
        AsyncResult<Integer> r = pool.applyAsync(PoolTasks::failIfOdd, 5, v -> err.complete(null), err::complete);
        r.await();
        assertThat(r.successful()).isFalse();
        assertThat(err.get()).isInstanceOf(IllegalArgumentException.class).hasMessage("odd: 5");
        assertThatThrownBy(() -> pool.map(PoolTasks::failIfOdd, List.of(2, 4, 7, 8), 1))
                .isInstanceOf(ExecutionException.class).cause().hasMessage("odd: 7");
        ResultIterator<Integer> it = pool.imap(PoolTasks::failIfOdd, List.of(2, 3, 4));
        assertThat(it.next()).isEqualTo(2);
        assertThatThrownBy(it::next).isInstanceOf(CompletionException.class).cause().hasMessage("odd: 3");
        assertThat(it.next()).isEqualTo(4);
        assertThat(grown(pool, before, PoolStats::tasksFailed, 4)).as("tasks failed: apply, applyAsync, map, imap").isEqualTo(4);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldReportAResultThatCannotBeEncodedAndRefuseAnArgumentThatCannotTravel(StartMethod m) throws Exception {
        Pool pool = shared(m);
        assertThatThrownBy(() -> pool.apply(PoolTasks::unencodable, 1))
                .isInstanceOf(ExecutionException.class).cause()
                .hasMessageContaining("cannot be sent back").hasMessageContaining("java.lang.Thread");
        assertThatThrownBy(() -> pool.map(PoolTasks::identity, List.of(1, Thread.currentThread())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 1").hasMessageContaining("cannot travel");
        @SuppressWarnings({"unchecked", "rawtypes"}) List<Integer> wrong = (List) List.of(1, 2, "three");
        assertThatThrownBy(() -> pool.map(PoolTasks::square, wrong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 2").hasMessageContaining("String");
        assertThat(pool.apply(PoolTasks::square, 3)).isEqualTo(9);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldRunTheInitializerInEveryWorker(StartMethod m) throws Exception {
        Pool pool = shared(m);
        assertThat(pool.map(PoolTasks::initState, List.of(1, 2, 3, 4), 1)).containsOnly("yes");
        if (m.isProcess()) {
            Set<Long> pids = new HashSet<>(pool.map(PoolTasks::pid, List.of(1, 2, 3, 4, 5, 6, 7, 8), 1));
            List<String> initPids = Files.readAllLines(INIT_FILES.get(m));
            assertThat(initPids).containsAll(pids.stream().map(String::valueOf).toList());
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldFailOnlyTheTaskOfAWorkerThatDiesAndReplaceIt(StartMethod m) throws Exception {
        Pool pool = shared(m);
        PoolStats before = pool.stats();
        AsyncResult<Integer> fine = pool.applyAsync(PoolTasks::sleepMillis, 200);
        assertThatThrownBy(() -> pool.apply(PoolTasks::exitWith, 7))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WorkerDiedException.class)
                .hasMessageContaining("exited with code 7").hasMessageContaining("PoolTasks.exitWith");
        if (m.isProcess()) {
            assertThatThrownBy(() -> pool.apply(PoolTasks::killSelf, 1))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WorkerDiedException.class)
                    .hasMessageContaining("signal 9 SIGKILL").hasMessageContaining("pid");
        }
        // an Error leaves a JVM in doubt: the task fails with it, and its worker is replaced
        assertThatThrownBy(() -> pool.apply(PoolTasks::outOfMemory, 1))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(OutOfMemoryError.class)
                .cause().isInstanceOf(RemoteTraceback.class);
        assertThat(fine.get()).isEqualTo(200);
        assertThat(pool.map(PoolTasks::square, List.of(1, 2, 3), 1)).containsExactly(1, 4, 9);
        int deaths = m.isProcess() ? 3 : 2; // exit, SIGKILL (processes only), OutOfMemoryError
        assertThat(grown(pool, before, PoolStats::workersReplaced, deaths)).as("workers replaced").isEqualTo(deaths);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldKillAndReplaceTheWorkerOfACancelledRunningTask(StartMethod m) throws Exception {
        Pool pool = shared(m);
        PoolStats before = pool.stats();
        Path marker = TestFiles.absentFile("cancel", ".txt");
        AsyncResult<Integer> r = pool.applyAsync(PoolTasks::markThenSleep, marker.toString(), 20_000);
        awaitFile(marker);
        long pid = Long.parseLong(Files.readString(marker));
        assertThat(r.cancel(true)).isTrue();
        assertThat(r.isCancelled()).isTrue();
        assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        if (m.isProcess()) {
            Await.until("the worker " + pid + " of the cancelled task killed", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
        assertThat(grown(pool, before, PoolStats::workersReplaced, 1)).as("its worker replaced").isEqualTo(1);
        assertThat(pool.apply(PoolTasks::square, 4)).isEqualTo(16);
        Files.deleteIfExists(marker);
    }

    /**
     * A caller waiting for a slow result sleeps as the pool's reader (so that the reply wakes it directly); an
     * interrupt still ends its wait promptly, and the pool goes on. The caller's side is the same in every start method.
     */
    @ParameterizedTest @MethodSource("independentOfTheJvmStart")
    void shouldThrowInterruptedExceptionToACallerInterruptedWhileItWaitsForAResult(StartMethod m) throws Exception {
        try (Pool pool = Multiprocessing.getContext(m).poolBuilder().processes(1).build()) {
            AsyncResult<Integer> slow = pool.applyAsync(PoolTasks::sleepMillis, 3_000);
            java.util.concurrent.CompletableFuture<Throwable> thrown = new java.util.concurrent.CompletableFuture<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    slow.get();
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            Await.until("the caller is in get()", () -> java.util.Arrays.stream(caller.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("get") && f.getClassName().equals(AsyncResult.class.getName())));
            long t0 = System.nanoTime();
            caller.interrupt();
            assertThat(thrown.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(System.nanoTime() - t0).as("the interrupt ended the wait before the task did").isLessThan(TimeUnit.MILLISECONDS.toNanos(2_500));
            assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(3_000);
            assertThat(pool.apply(PoolTasks::square, 6)).isEqualTo(36);
        }
    }

    /**
     * The timeout, the interrupt and a worker's end when the task ignores it are the worker loop's (the same code in
     * every child JVM); a replacement in every start method is shouldFailOnlyTheTaskOfAWorkerThatDiesAndReplaceIt's.
     */
    @ParameterizedTest @MethodSource("independentOfTheJvmStart")
    void shouldTimeOutATaskAndReplaceAWorkerThatIgnoresTheInterrupt(StartMethod m) throws Exception {
        try (Pool pool = Multiprocessing.getContext(m).poolBuilder().processes(1).taskTimeout(Duration.ofMillis(1000)).build()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> pool.apply(PoolTasks::sleepMillis, 20_000))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("timeout of 1000 ms").hasMessageContaining("PoolTasks.sleepMillis");
            assertThat(pool.stats().workersReplaced()).isZero();
            assertThatThrownBy(() -> pool.apply(PoolTasks::spin, 4_000))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("ignored its interrupt");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(15));
            assertThat(pool.apply(PoolTasks::square, 5)).isEqualTo(25);
            assertThat(pool.stats().workersReplaced()).isEqualTo(1);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldReplaceAWorkerAfterMaxTasksPerChildItems(StartMethod m) throws Exception {
        Path f = TestFiles.file("maxtasks", ".txt");
        try (Pool pool = Multiprocessing.getContext(m).poolBuilder().processes(1).maxTasksPerChild(2)
                .initializer(PoolTasks::init, f.toString()).build()) {
            List<String> names = pool.map(PoolTasks::workerName, List.of(1, 2, 3, 4), 3);
            assertThat(names.get(0)).isEqualTo(names.get(1)).isNotEqualTo(names.get(2));
            assertThat(names.get(2)).isEqualTo(names.get(3));
            if (m.isProcess()) {
                List<Long> pids = pool.map(PoolTasks::pid, List.of(1, 2, 3, 4), 4);
                assertThat(pids.get(0)).isEqualTo(pids.get(1)).isNotEqualTo(pids.get(2));
            }
            pool.close();
            pool.join();
            // one initializer run per worker: 2 for the first map, 2 for the second (process methods), and
            // the replacement started as soon as the last worker had its last item
            assertThat(Files.readAllLines(f)).hasSize(m.isProcess() ? 5 : 3);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void shouldStartASpawnPoolsJvmsInTurnOnePerTwoCores() throws Exception {
        // one more worker than may start at once, and one task: every worker still starts and runs its initializer
        // (how far apart their JVMs start, in turn or at once, is the benchmark's pool_spawn_start_spread_ms)
        int limit = StartThrottle.limit(StartMethod.SPAWN, Runtime.getRuntime().availableProcessors());
        Path f = TestFiles.file("in-turn", ".txt");
        try (Pool pool = Multiprocessing.getContext(StartMethod.SPAWN).poolBuilder().processes(limit + 1)
                .initializer(PoolTasks::init, f.toString()).build()) {
            assertThat(pool.apply(PoolTasks::square, 3)).isEqualTo(9);
            pool.close();
            assertThat(pool.join(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readAllLines(f)).as("one initializer run per worker").hasSize(limit + 1).doesNotHaveDuplicates();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldCloseAtOnceAPoolWhoseWorkersAreStillStarting(StartMethod m) throws Exception {
        // no initializer: a worker still starting has nothing to do and is stopped without waiting for it
        Pool pool = Multiprocessing.getContext(m).pool(3);
        assertThat(pool.apply(PoolTasks::square, 4)).isEqualTo(16);
        pool.close();
        assertThat(pool.join(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.workerPids()).isEmpty();
        assertThat(pool.stats().tasksFailed()).isZero();
        // with one, every worker runs it, even when the pool is closed before they are all up
        Path f = TestFiles.file("close-init", ".txt");
        try {
            Pool withInit = Multiprocessing.getContext(m).poolBuilder().processes(3).initializer(PoolTasks::init, f.toString()).build();
            assertThat(withInit.apply(PoolTasks::square, 5)).isEqualTo(25);
            withInit.close();
            assertThat(withInit.join(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readAllLines(f)).hasSize(3);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void shouldTerminateThreadPoolsWhoseWorkersAreStillOpeningTheirPipes() throws Exception {
        // A THREAD worker killed while it opens its named pipes must not be left blocked in the open (a thread
        // cannot be freed from it): terminate pools at every point of their workers' start, many times over.
        Context ctx = Multiprocessing.getContext(StartMethod.THREAD);
        for (int i = 0; i < 400; i++) {
            Pool pool = ctx.pool(2);
            LockSupport.parkNanos((i % 40) * 50_000L); // behaviour: terminate 0-2 ms in, a different point of the start each time
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).as("pool %d joined after terminate", i).isTrue();
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldTerminateWithTasksInFlightAndLeaveNoWorker(StartMethod m) throws Exception {
        Pool pool = Multiprocessing.getContext(m).pool(2);
        List<AsyncResult<Integer>> rs = new ArrayList<>();
        for (int i = 0; i < 5; i++) rs.add(pool.applyAsync(PoolTasks::sleepMillis, 20_000));
        List<Long> pids = Await.until("both workers started", pool::workerPids, p -> p.size() == 2);
        pool.terminate();
        assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        for (AsyncResult<Integer> r : rs) assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        if (m.isProcess()) for (long pid : pids) assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThatThrownBy(() -> pool.apply(PoolTasks::square, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("terminated");
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldFinishAllQueuedWorkOnCloseThenJoin(StartMethod m) throws Exception {
        Pool pool = Multiprocessing.getContext(m).pool(2);
        assertThatThrownBy(pool::join).isInstanceOf(IllegalStateException.class);
        List<AsyncResult<Integer>> rs = new ArrayList<>();
        for (int i = 0; i < 20; i++) rs.add(pool.applyAsync(PoolTasks::sleepMillis, 10));
        AsyncResult<List<Integer>> all = pool.mapAsync(PoolTasks::square, List.of(1, 2, 3));
        assertThat(pool.awaitWorkers(30, TimeUnit.SECONDS)).isTrue();
        List<Long> pids = pool.workerPids();
        pool.close();
        assertThatThrownBy(() -> pool.apply(PoolTasks::square, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        pool.join();
        for (AsyncResult<Integer> r : rs) assertThat(r.isDone() && r.successful()).isTrue();
        assertThat(all.get()).containsExactly(1, 4, 9);
        assertThat(pool.workerPids()).isEmpty();
        if (m.isProcess()) for (long pid : pids) assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("worker %d", pid).isFalse();
        assertThat(pool.stats().tasksCompleted()).isEqualTo(23);
    }

    @ParameterizedTest @MethodSource("methods")
    @org.junit.jupiter.api.Timeout(240) // a coordinator JVM whose own waits (workers, warm JVMs) may take 120 s when loaded
    void shouldLeaveNoWorkerJvmWhenTheParentIsKilled(StartMethod m) throws Exception {
        assumeThat(m.isProcess()).as("THREAD workers are threads of the parent").isTrue();
        // the parent prints its line after up to 60 s for its workers and 60 s for its warm JVMs: wait longer than both
        JvmRun run = JvmRun.start(Duration.ofSeconds(180), List.of(), PoolTasks.PoolParent.class, m.pythonName());
        String line = run.awaitLine("workers ", Duration.ofSeconds(150));
        assertThat(line).as("stderr: %s", run.stderr()).isNotNull();
        // the parent's pid, its two workers' pids, then every process below it (under FORK and FORKSERVER also
        // the warm JVMs, the fork server and the server's children)
        String[] parts = line.split(" ");
        assertThat(parts.length).as("line: %s", line).isGreaterThanOrEqualTo(m == StartMethod.SPAWN ? 6 : 7);
        ProcessHandle.of(Long.parseLong(parts[1])).orElseThrow().destroyForcibly(); // SIGKILL: no exit hooks run
        run.await();
        for (int i = 2; i < parts.length; i++) {
            long pid = Long.parseLong(parts[i]);
            ProcessHandle.of(pid).ifPresent(h -> assertThat(h.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join())
                    .as("process %d (%s) still alive 10 s after its coordinator was killed", pid, h.info().commandLine().orElse("?"))
                    .isNotNull());
        }
    }

    /** The worker loop runs the initializer and reports its failure, the same in every child JVM. */
    @ParameterizedTest @MethodSource("independentOfTheJvmStart")
    void shouldBreakThePoolWhenTheInitializerFails(StartMethod m) throws Exception {
        Pool pool = Multiprocessing.getContext(m).poolBuilder().processes(1).initializer(PoolTasks::failingInit).build();
        try {
            // a THREAD worker's initializer can fail before the first call: the call is then refused, naming why
            Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> pool.apply(PoolTasks::square, 2));
            if (first instanceof ExecutionException) {
                assertThat(first).cause().isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("initializer failed").cause().hasMessage("initializer refuses");
            } else {
                assertThat(first).isInstanceOf(IllegalStateException.class).hasMessageContaining("broken")
                        .hasMessageContaining("initializer failed").hasRootCauseMessage("initializer refuses");
            }
            assertThatThrownBy(() -> pool.apply(PoolTasks::square, 2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("broken");
        } finally {
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Waits until a task has written {@code p}. */
    static void awaitFile(Path p) {
        Await.until("a task to write " + p, () -> Files.exists(p) && sizeOf(p) > 0);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
