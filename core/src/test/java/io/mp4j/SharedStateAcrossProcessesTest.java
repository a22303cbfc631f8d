package io.mp4j;

import io.mp4j.function.Task;
import io.mp4j.ipc.shm.Array;
import io.mp4j.ipc.shm.SharedMemory;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Barrier;
import io.mp4j.ipc.sync.BoundedSemaphore;
import io.mp4j.ipc.sync.Condition;
import io.mp4j.ipc.sync.Event;
import io.mp4j.ipc.sync.Lock;
import io.mp4j.ipc.sync.OwnerDiedException;
import io.mp4j.ipc.sync.RLock;
import io.mp4j.ipc.sync.Semaphore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Shared memory and synchronization between a coordinator and its children, under each start method.
 * Every start method, FORK and FORKSERVER included.
 */
class SharedStateAcrossProcessesTest {
    static final int N = 10_000;
    static final int ROUNDS = 10;

    static List<StartMethod> methods() { return List.of(StartMethod.values()); }

    // ------------------------------------------------------------------ targets (run in the children)

    static void lockedIncrements(Value v, Array atomics, Lock raw, Value rawCounter) {
        for (int i = 0; i < N; i++) {
            try (var held = v.getLock().hold()) {
                v.set(v.getInt() + 1);
            }
            atomics.getAndAdd(1, 1);
            raw.lock();
            try {
                rawCounter.set(rawCounter.getLong() + 1);
            } finally {
                raw.unlock();
            }
        }
    }

    static void writeShared(Value d, Array arr, SharedMemory shm, String name) throws Exception {
        d.set(d.getDouble() * 2);
        for (int i = 0; i < arr.length(); i++) arr.set(i, arr.getInt(i) * arr.getInt(i));
        shm.buf().set(ValueLayout.JAVA_BYTE, 1, (byte) 99);
        try (SharedMemory byName = Multiprocessing.getContext().sharedMemory(name, false, 0)) {
            byName.buf().set(ValueLayout.JAVA_BYTE, 2, (byte) (byName.buf().get(ValueLayout.JAVA_BYTE, 0) + 1));
        }
    }

    static void pingPong(Semaphore ping, Semaphore pong, Value log, Event go) throws Exception {
        go.await();
        for (int i = 0; i < ROUNDS; i++) {
            ping.acquire();
            log.getAndAdd(1);
            pong.release();
        }
    }

    static void consumer(Condition cond, Array items, Value taken) throws Exception {
        for (int k = 0; k < 5; k++) {
            cond.acquire();
            try {
                cond.waitFor(() -> items.getInt(0) > 0);
                items.set(0, items.getInt(0) - 1);
                taken.getAndAdd(1);
                cond.signalAll();
            } finally {
                cond.release();
            }
        }
    }

    static void barrierParty(Barrier b, Array indexes, Value slot) throws Exception {
        int idx = b.await(20, TimeUnit.SECONDS);
        indexes.set((int) slot.getAndAdd(1), idx);
    }

    static void holdLocksForever(Lock lock, RLock rlock, Event held) throws Exception {
        lock.lock();
        rlock.lock();
        rlock.lock();
        held.set();
        Thread.sleep(60_000); // behaviour: holds the locks until the test kills this process
    }

    static void awaitForever(Condition cond) throws Exception {
        cond.acquire();
        cond.await();
    }

    static void boundedRelease(BoundedSemaphore s) {
        s.release(); // over the bound: throws, exit code 1
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest
    @MethodSource("methods")
    void shouldCountLockedIncrementsFromTwoProcessesExactly(StartMethod method) throws Exception {
        Context ctx = Multiprocessing.getContext(method);
        Value v = ctx.value('i', 0);
        Array atomics = ctx.array('q', 2, false);
        Lock raw = ctx.lock();
        Value rawCounter = ctx.value('q', 0, false);
        MpProcess a = ctx.process(SharedStateAcrossProcessesTest::lockedIncrements, v, atomics, raw, rawCounter);
        MpProcess b = ctx.process(SharedStateAcrossProcessesTest::lockedIncrements, v, atomics, raw, rawCounter);
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(a.exitCode()).isZero();
        assertThat(b.exitCode()).isZero();
        assertThat(v.getInt()).isEqualTo(2 * N);
        assertThat(atomics.getLong(1)).isEqualTo(2 * N);
        assertThat(rawCounter.getLong()).isEqualTo(2 * N);
        assertThat(raw.isLocked()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("methods")
    void shouldShareValuesArraysAndSharedMemoryWithAChild(StartMethod method) throws Exception {
        Context ctx = Multiprocessing.getContext(method);
        Value d = ctx.doubleValue(1.25);
        Array arr = ctx.intArray(1, 2, 3, 4);
        try (SharedMemory shm = ctx.sharedMemory(null, true, 16)) {
            shm.buf().set(ValueLayout.JAVA_BYTE, 0, (byte) 41);
            MpProcess p = ctx.process(SharedStateAcrossProcessesTest::writeShared, d, arr, shm, shm.name());
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(d.getDouble()).isEqualTo(2.5);
            assertThat(arr.toIntArray()).containsExactly(1, 4, 9, 16);
            assertThat(shm.buf().get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 99);
            assertThat(shm.buf().get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 42);
            shm.unlink();
            assertThatThrownBy(shm::unlink).isInstanceOf(IllegalStateException.class).hasMessageContaining(shm.name());
            assertThatThrownBy(() -> ctx.sharedMemory(shm.name(), false, 0))
                    .as("Python's FileNotFoundError").isInstanceOf(java.nio.file.NoSuchFileException.class)
                    .hasMessageContaining("name=" + shm.name());
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void shouldAlternateSemaphorePingPongAndCountConditionHandOffs(StartMethod method) throws Exception {
        Context ctx = Multiprocessing.getContext(method);
        Semaphore ping = ctx.semaphore(0);
        Semaphore pong = ctx.semaphore(0);
        Value log = ctx.value('i', 0, false);
        Event go = ctx.event();
        Condition cond = ctx.condition(ctx.lock());
        Array items = ctx.array('i', 1);
        Value taken = ctx.value('i', 0, false);
        MpProcess p = ctx.process(SharedStateAcrossProcessesTest::pingPong, ping, pong, log, go);
        MpProcess c = ctx.process(SharedStateAcrossProcessesTest::consumer, cond, items, taken);
        p.start();
        c.start();
        go.set();
        for (int i = 0; i < ROUNDS; i++) {
            ping.release();
            assertThat(pong.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
            assertThat(log.getInt()).isEqualTo(i + 1); // strict alternation
        }
        for (int k = 0; k < 5; k++) {
            cond.acquire();
            try {
                items.set(0, items.getInt(0) + 1);
                cond.signal();
                assertThat(cond.waitFor(() -> items.getInt(0) == 0, 20, TimeUnit.SECONDS)).as("the consumer took item %d", k).isTrue();
            } finally {
                cond.release();
            }
        }
        p.join();
        c.join();
        assertThat(p.exitCode()).isZero();
        assertThat(c.exitCode()).isZero();
        assertThat(taken.getInt()).isEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void shouldReleaseThreePartiesOfABarrierAndRunItsActionOnce(StartMethod method) throws Exception {
        Context ctx = Multiprocessing.getContext(method);
        Value actions = ctx.value('i', 0, false);
        Array indexes = ctx.array('i', 3);
        Value slot = ctx.value('i', 0, false);
        Task action = () -> Value.attach(actions.handle()).getAndAdd(1);
        Barrier b = ctx.barrier(3, action, Duration.ofSeconds(20));
        MpProcess p1 = ctx.process(SharedStateAcrossProcessesTest::barrierParty, b, indexes, slot);
        MpProcess p2 = ctx.process(SharedStateAcrossProcessesTest::barrierParty, b, indexes, slot);
        p1.start();
        p2.start();
        int mine = b.await();
        indexes.set((int) slot.getAndAdd(1), mine);
        p1.join();
        p2.join();
        assertThat(p1.exitCode()).isZero();
        assertThat(p2.exitCode()).isZero();
        assertThat(actions.getInt()).isEqualTo(1);
        assertThat(indexes.toIntArray()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(b.isBroken()).isFalse();
        assertThat(b.getNumberWaiting()).isZero();
    }

    @ParameterizedTest
    @MethodSource("methods")
    void shouldFailAChildThatReleasesABoundedSemaphorePastItsBound(StartMethod method) throws Exception {
        Context ctx = Multiprocessing.getContext(method);
        BoundedSemaphore s = ctx.boundedSemaphore(1);
        MpProcess p = ctx.process(SharedStateAcrossProcessesTest::boundedRelease, s);
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(s.getValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void shouldHandALockAndAnRLockOfAKilledProcessToTheNextAcquirerNamingThePid(StartMethod method) throws Exception {
        assumeThat(method.isProcess()).as("a thread cannot be killed").isTrue();
        Context ctx = Multiprocessing.getContext(method);
        Lock lock = ctx.lock();
        RLock rlock = ctx.rlock();
        Event held = ctx.event();
        MpProcess p = ctx.process(SharedStateAcrossProcessesTest::holdLocksForever, lock, rlock, held);
        p.start();
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.tryLock()).isFalse();
        long pid = p.pid();
        p.kill();
        p.join();
        assertThat(p.exitCode()).isEqualTo(-9);
        assertThatThrownBy(lock::lock).isInstanceOf(OwnerDiedException.class)
                .hasMessageContaining("pid=" + pid)
                .satisfies(e -> assertThat(((OwnerDiedException) e).deadPid()).isEqualTo(pid));
        assertThat(lock.isLocked()).isTrue();
        lock.unlock();
        assertThatThrownBy(() -> rlock.tryLock(10, TimeUnit.SECONDS)).isInstanceOf(OwnerDiedException.class)
                .hasMessageContaining("pid=" + pid);
        assertThat(rlock.getHoldCount()).isEqualTo(1);
        rlock.unlock();
        assertThat(rlock.isLocked()).isFalse();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    /** A process killed inside {@code await} must not take the next signal: the live waiter behind it gets it. */
    @ParameterizedTest
    @MethodSource("methods")
    void shouldNotSpendASignalOnAWaiterKilledInsideAwait(StartMethod method) throws Exception {
        assumeThat(method.isProcess()).as("a thread cannot be killed").isTrue();
        Context ctx = Multiprocessing.getContext(method);
        io.mp4j.ipc.sync.Lock lock = ctx.lock();
        Condition cond = ctx.condition(lock);
        MpProcess p = ctx.process(SharedStateAcrossProcessesTest::awaitForever, cond);
        p.start();
        awaitTrue(() -> cond.getWaitQueueLength() == 1, "the child waits");
        // a waiter counts from just before it releases the lock: killed in between, it dies holding the lock, and the
        // next acquire takes it over with an OwnerDiedException; taking the lock once puts the kill inside the wait
        assertThat(lock.tryLock(30, TimeUnit.SECONDS)).as("the waiting child released the lock").isTrue();
        lock.unlock();
        p.kill();
        assertThat(p.join(30, TimeUnit.SECONDS)).isTrue();
        java.util.concurrent.CompletableFuture<Boolean> live = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                cond.acquire();
                try {
                    // long enough for the main thread's lock and signal below on a loaded machine: a timed-out
                    // wait would fail the test as "not signalled"
                    live.complete(cond.await(60, TimeUnit.SECONDS));
                } finally {
                    cond.release();
                }
            } catch (Throwable t) {
                live.completeExceptionally(t);
            }
        });
        awaitTrue(() -> cond.getWaitQueueLength() == 2 || live.isDone(), "the live waiter waits behind the dead one");
        assertThat(lock.tryLock(30, TimeUnit.SECONDS)).as("the lock is free while the live waiter waits").isTrue();
        try {
            cond.signal();
        } finally {
            lock.unlock();
        }
        assertThat(live.get(70, TimeUnit.SECONDS)).as("the live waiter was signalled, not timed out").isTrue();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        io.mp4j.testkit.Await.until(what, condition);
    }
}
