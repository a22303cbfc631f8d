package io.mp4j.ipc.sync;

import io.mp4j.testkit.Await;
import io.mp4j.testkit.Background;
import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each primitive's methods and errors, between threads (the memory is the same mapped file processes use). */
class SyncPrimitivesTest {
    private static Path dir;
    private static ExecutorService pool;

    @BeforeAll
    static void setUp() throws IOException {
        dir = TestFiles.shmDir("synctest");
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void tearDown() throws IOException {
        pool.shutdownNow();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static <T> T attachCopy(Object handle, Class<T> type) {
        return io.mp4j.ipc.codec.Codec.mapper().convertValue(handle, type);
    }

    // ------------------------------------------------------------------ Lock

    @Test
    void shouldExcludeAnotherThreadWhileALockIsHeld() throws Exception {
        Lock lock = Lock.create(dir);
        lock.lock();
        assertThat(pool.submit(() -> lock.tryLock()).get()).isFalse();
        assertThat(pool.submit(() -> lock.tryLock(20, TimeUnit.MILLISECONDS)).get()).isFalse();
        Future<Boolean> waiter = pool.submit(() -> lock.tryLock(10, TimeUnit.SECONDS));
        Await.until("the waiter asleep on the lock", () -> Sleepers.of(lock) == 1);
        lock.unlock();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.isLocked()).isTrue();
        lock.unlock(); // any thread may release a Lock, as in Python
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void shouldRejectReleasingAnUnlockedLock() {
        Lock lock = Lock.create(dir);
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class).hasMessageContaining("unlocked");
    }

    @Test
    void shouldNotReenterALock() throws Exception {
        Lock lock = Lock.create(dir);
        try (var held = lock.hold()) {
            assertThat(lock.tryLock(10, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(lock.acquire(false)).isFalse();
        }
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void shouldThrowWhenInterruptedWhileWaitingForALock() throws Exception {
        Lock lock = Lock.create(dir);
        lock.lock();
        Background<Void> waiter = Background.run("lock waiter", lock::lockInterruptibly);
        Await.until("the waiter asleep on the lock", () -> Sleepers.of(lock) == 1);
        waiter.interrupt();
        assertThat(waiter.failure()).isInstanceOf(InterruptedException.class);
        waiter.awaitEnd();
        assertThat(Sleepers.of(lock)).as("the interrupted waiter sleeps no more").isZero();
        Thread.currentThread().interrupt();
        assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
        lock.unlock();
    }

    @Test
    void shouldKeepInterruptStatusWhenLockIsUninterruptible() throws Exception {
        Lock lock = Lock.create(dir);
        lock.lock();
        CompletableFuture<Boolean> r = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().interrupt();
            lock.lock();
            boolean interrupted = Thread.interrupted();
            lock.unlock();
            return interrupted;
        }, pool);
        Await.until("the interrupted thread asleep on the lock all the same", () -> Sleepers.of(lock) == 1);
        lock.unlock();
        assertThat(r.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldCountExactlyUnderALockFromFourThreads() throws Exception {
        Lock lock = Lock.create(dir);
        int[] counter = {0};
        List<Future<?>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Lock mine = attachCopy(lock, Lock.class);
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    mine.lock();
                    counter[0]++;
                    mine.unlock();
                }
            }));
        }
        for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        assertThat(counter[0]).isEqualTo(80_000);
    }

    // ------------------------------------------------------------------ RLock

    @Test
    void shouldReenterAnRLockAndReleaseAsManyTimes() throws Exception {
        RLock lock = RLock.create(dir);
        for (int i = 0; i < 5; i++) lock.lock();
        assertThat(lock.getHoldCount()).isEqualTo(5);
        assertThat(pool.submit(() -> lock.tryLock()).get()).isFalse();
        assertThatThrownBy(() -> pool.submit(lock::unlock).get()).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held by another thread");
        for (int i = 0; i < 4; i++) lock.unlock();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class).hasMessageContaining("unlocked RLock");
        assertThat(pool.submit(() -> { boolean ok = lock.tryLock(); lock.unlock(); return ok; }).get()).isTrue();
    }

    @Test
    void shouldRefuseAReleaseByAnotherThreadOfAnRLockHeldOnce() throws Exception {
        for (RLock lock : List.of(RLock.create(dir), (RLock) io.mp4j.ipc.shm.Value.create(dir, 'i', 0, true).getLock())) {
            lock.lock();
            assertThat(lock.getHoldCount()).isEqualTo(1);
            assertThatThrownBy(() -> pool.submit(lock::unlock).get()).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("held by another thread");
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            lock.unlock();
            assertThat(lock.isLocked()).isFalse();
            assertThatThrownBy(() -> pool.submit(lock::unlock).get()).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unlocked RLock");
        }
    }

    @Test
    void shouldHandAnRLockFreedByAConditionWaitToAnotherThreadWithOneHold() throws Exception {
        RLock lock = RLock.create(dir);
        Condition c = Condition.create(dir, lock);
        lock.lock();
        lock.lock();
        Future<Integer> other = pool.submit(() -> {
            Await.until("the first thread waiting on the condition", () -> c.getWaitQueueLength() == 1);
            lock.lock();
            try {
                c.signal();
                return lock.getHoldCount();
            } finally {
                lock.unlock();
            }
        });
        assertThat(c.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(lock.getHoldCount()).isEqualTo(2);
        lock.unlock();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        assertThat(pool.submit(() -> { lock.lock(); int n = lock.getHoldCount(); lock.unlock(); return n; }).get()).isEqualTo(1);
    }

    @Test
    void shouldTravelAsAHandleAndAttachToTheSameLock() {
        RLock lock = RLock.create(dir);
        lock.lock();
        RLock copy = (RLock) io.mp4j.ipc.codec.Codec.decode(io.mp4j.ipc.codec.Codec.encode(lock, SharedLock.class), SharedLock.class);
        assertThat(copy).isEqualTo(lock);
        assertThat(copy.isHeldByCurrentThread()).isTrue();
        copy.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    // ------------------------------------------------------------------ Semaphore

    @Test
    void shouldCountPermitsOfASemaphore() throws Exception {
        Semaphore s = Semaphore.create(dir, 2);
        assertThat(s.tryAcquire()).isTrue();
        assertThat(s.acquire(true, 1.0)).isTrue();
        assertThat(s.getValue()).isZero();
        assertThat(s.tryAcquire(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(s.acquire(false, null)).isFalse();
        Future<Boolean> waiter = pool.submit(() -> s.tryAcquire(10, TimeUnit.SECONDS));
        Await.until("the waiter asleep on the semaphore", () -> Sleepers.of(s) == 1);
        s.release();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        s.release();
        s.release();
        s.release(); // an unbounded semaphore may grow past its initial value
        assertThat(s.availablePermits()).isEqualTo(3);
    }

    @Test
    void shouldRejectANegativeSemaphoreValue() {
        assertThatThrownBy(() -> Semaphore.create(dir, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value=-1");
        assertThatThrownBy(() -> BoundedSemaphore.create(dir, -2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value=-2");
    }

    @Test
    void shouldRejectReleasingABoundedSemaphorePastItsBound() throws Exception {
        BoundedSemaphore s = BoundedSemaphore.create(dir, 2);
        s.acquire();
        s.release();
        assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("value=2 bound=2");
        Semaphore attached = Semaphore.attach(s.handle());
        assertThat(attached).isInstanceOf(BoundedSemaphore.class);
    }

    @Test
    void shouldThrowWhenInterruptedWhileAcquiringASemaphore() throws Exception {
        Semaphore s = Semaphore.create(dir, 0);
        Background<Void> waiter = Background.run("semaphore waiter", s::acquire);
        Await.until("the waiter asleep on the semaphore", () -> Sleepers.of(s) == 1);
        waiter.interrupt();
        assertThat(waiter.failure()).isInstanceOf(InterruptedException.class);
        waiter.awaitEnd();
        assertThat(s.getValue()).as("no permit taken or lost").isZero();
    }

    // ------------------------------------------------------------------ Event

    @Test
    void shouldReleaseEveryWaiterWhenAnEventIsSet() throws Exception {
        Event e = Event.create(dir);
        assertThat(e.isSet()).isFalse();
        assertThat(e.await(10, TimeUnit.MILLISECONDS)).isFalse();
        List<Future<Boolean>> waiters = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) waiters.add(pool.submit(() -> e.await(10, TimeUnit.SECONDS)));
        Await.until("three waiters asleep on the event", () -> Sleepers.of(e) == 3);
        e.set();
        for (Future<Boolean> w : waiters) assertThat(w.get(10, TimeUnit.SECONDS)).isTrue();
        e.await();
        e.clear();
        assertThat(e.isSet()).isFalse();
    }

    // ------------------------------------------------------------------ Condition

    @Test
    void shouldWakeOneWaiterPerSignalAndAllOnSignalAll() throws Exception {
        Lock lock = Lock.create(dir);
        Condition c = Condition.create(dir, lock);
        AtomicInteger woken = new AtomicInteger();
        CountDownLatch waiting = new CountDownLatch(3);
        List<Future<Boolean>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fs.add(pool.submit(() -> {
                lock.lock();
                try {
                    waiting.countDown();
                    boolean r = c.await(10, TimeUnit.SECONDS);
                    woken.incrementAndGet();
                    return r;
                } finally {
                    lock.unlock();
                }
            }));
        }
        waiting.await();
        Await.until("three waiters asleep on the condition", () -> Sleepers.of(c) == 3);
        lock.lock();
        c.signal();
        assertThat(c.getWaitQueueLength()).as("one waiter signalled, two still waiting").isEqualTo(2);
        lock.unlock();
        Await.until("the signalled waiter back", () -> woken.get() == 1);
        Await.until("the other two asleep again", () -> Sleepers.of(c) == 2);
        assertThat(woken.get()).as("one signal woke one waiter").isEqualTo(1);
        assertThat(c.getWaitQueueLength()).isEqualTo(2);
        lock.lock();
        c.signalAll();
        lock.unlock();
        for (Future<Boolean> f : fs) assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldReturnFalseWhenAConditionWaitTimesOutAndHoldTheLockAgain() throws Exception {
        RLock lock = RLock.create(dir);
        Condition c = Condition.create(dir, lock);
        lock.lock();
        lock.lock();
        assertThat(c.await(20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(lock.getHoldCount()).isEqualTo(2);
        assertThat(c.waitFor(() -> false, 10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(c.getWaitQueueLength()).isZero();
        lock.unlock();
        lock.unlock();
    }

    @Test
    void shouldRejectWaitingOrNotifyingWithoutTheLock() {
        Condition c = Condition.create(dir, Lock.create(dir));
        assertThatThrownBy(c::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("un-acquired");
        assertThatThrownBy(c::signal).isInstanceOf(IllegalStateException.class).hasMessageContaining("un-acquired");
        assertThatThrownBy(() -> c.signal(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=-1");
    }

    @Test
    void shouldThrowWhenInterruptedInAConditionWaitWithTheLockHeldAgain() throws Exception {
        Lock lock = Lock.create(dir);
        Condition c = Condition.create(dir, lock);
        AtomicReference<Boolean> heldAfter = new AtomicReference<>();
        Background<Void> waiter = Background.run("condition waiter", () -> {
            lock.lock();
            try {
                c.await();
            } catch (InterruptedException e) {
                heldAfter.set(lock.isLocked());
                throw e;
            } finally {
                lock.unlock();
            }
        });
        Await.until("the waiter asleep on the condition", () -> Sleepers.of(c) == 1);
        waiter.interrupt();
        assertThat(waiter.failure()).isInstanceOf(InterruptedException.class);
        waiter.awaitEnd();
        assertThat(heldAfter.get()).as("the lock held again when the interrupt is thrown").isTrue();
        assertThat(c.getWaitQueueLength()).isZero();
    }

    // ------------------------------------------------------------------ Barrier

    @Test
    void shouldReleaseAllPartiesAndRunTheActionOnce() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        Barrier b = Barrier.create(dir, 3, actions::incrementAndGet, -1);
        for (int round = 0; round < 2; round++) {
            List<Future<Integer>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) fs.add(pool.submit(() -> b.await(10, TimeUnit.SECONDS)));
            List<Integer> idx = new CopyOnWriteArrayList<>();
            for (Future<Integer> f : fs) idx.add(f.get(10, TimeUnit.SECONDS));
            assertThat(idx).containsExactlyInAnyOrder(0, 1, 2);
        }
        assertThat(actions.get()).isEqualTo(2);
        assertThat(b.getParties()).isEqualTo(3);
        assertThat(b.getNumberWaiting()).isZero();
    }

    @Test
    void shouldBreakTheBarrierWhenAPartyTimesOut() throws Exception {
        Barrier b = Barrier.create(dir, 3, null, -1);
        Future<Integer> other = pool.submit(() -> b.await(10, TimeUnit.SECONDS));
        Await.until("one party asleep at the barrier", () -> Sleepers.of(b) == 1);
        assertThatThrownBy(() -> b.await(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BrokenBarrierException.class);
        assertThat(b.isBroken()).isTrue();
        assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class);
        b.reset();
        assertThat(b.isBroken()).isFalse();
    }

    @Test
    void shouldBreakTheBarrierOnAbortAndOnDefaultTimeout() throws Exception {
        Barrier b = Barrier.create(dir, 2, null, -1);
        Future<Integer> waiter = pool.submit(() -> b.await());
        Await.until("one party asleep at the barrier", () -> Sleepers.of(b) == 1);
        b.abort();
        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BrokenBarrierException.class);
        Barrier timed = Barrier.create(dir, 2, null, 20_000_000L);
        assertThatThrownBy(timed::await).isInstanceOf(BrokenBarrierException.class).hasMessageContaining("timed out");
        assertThatThrownBy(() -> Barrier.create(dir, 0, null, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parties=0");
    }

    @Test
    void shouldBreakWaitersOnResetAndOnAFailingAction() throws Exception {
        Barrier b = Barrier.create(dir, 2, null, -1);
        Future<Integer> waiter = pool.submit(() -> b.await());
        Await.until("one party asleep at the barrier", () -> Sleepers.of(b) == 1);
        b.reset();
        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BrokenBarrierException.class);
        Barrier failing = Barrier.create(dir, 2, () -> { throw new IllegalStateException("boom"); }, -1);
        Future<Integer> first = pool.submit(() -> failing.await());
        Await.until("one party asleep at the barrier", () -> Sleepers.of(failing) == 1);
        assertThatThrownBy(failing::await).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BrokenBarrierException.class);
        assertThat(failing.isBroken()).isTrue();
    }
}
