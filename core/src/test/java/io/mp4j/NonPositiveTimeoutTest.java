package io.mp4j;

import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Connections;
import io.mp4j.ipc.connection.Pipe;
import io.mp4j.ipc.queue.JoinableQueue;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.queue.QueueEmptyException;
import io.mp4j.ipc.queue.QueueFullException;
import io.mp4j.ipc.sync.Barrier;
import io.mp4j.ipc.sync.Condition;
import io.mp4j.ipc.sync.Event;
import io.mp4j.ipc.sync.Lock;
import io.mp4j.ipc.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * As in {@code java.util.concurrent} and Python, a timeout of zero or less means "do not wait", in every timed call
 * of the library: each call below returns (or reports its timeout) at once instead of throwing
 * {@link IllegalArgumentException} or waiting without limit. Process joins are in ProcessLifecycleTest.
 */
class NonPositiveTimeoutTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(10); // bounds a call that would wait for good

    private final Context ctx = Multiprocessing.getContext(StartMethod.THREAD);

    @Test
    void shouldNotWaitInConnectionPollAndConnectionsWait() throws Exception {
        try (Pipe pipe = ctx.pipe()) {
            Connection a = pipe.first();
            assertTimeoutPreemptively(AT_ONCE, () -> {
                assertThat(a.poll(-1, TimeUnit.SECONDS)).isFalse();
                assertThat(a.poll(0, TimeUnit.SECONDS)).isFalse();
                assertThat(a.poll(Duration.ofMillis(-5))).isFalse();
                assertThat(Connections.wait(List.of(a), -1, TimeUnit.SECONDS)).isEmpty();
                assertThat(Connections.wait(List.of(a), Duration.ofSeconds(-1))).isEmpty();
            });
            pipe.second().send("x");
            assertThat(Connections.wait(List.of(a), -1, TimeUnit.SECONDS)).containsExactly(a);
        }
    }

    @Test
    void shouldNotWaitInTheQueuesTimedCalls() throws Exception {
        Queue<Integer> q = ctx.queue(Integer.class, 1);
        JoinableQueue<Integer> jq = ctx.joinableQueue(Integer.class);
        jq.put(1);
        assertTimeoutPreemptively(AT_ONCE, () -> {
            assertThatThrownBy(() -> q.get(true, Duration.ofSeconds(-1))).isInstanceOf(QueueEmptyException.class);
            assertThat(q.poll(-1, TimeUnit.SECONDS)).isNull();
            q.put(1);
            assertThatThrownBy(() -> q.put(2, true, Duration.ofSeconds(-1))).isInstanceOf(QueueFullException.class);
            assertThat(q.offer(2, -1, TimeUnit.SECONDS)).isFalse();
            assertThat(q.poll(-1, TimeUnit.SECONDS)).as("an item that is there is taken").isEqualTo(1);
            assertThat(jq.join(Duration.ofSeconds(-1))).isFalse();
        });
    }

    @Test
    void shouldNotWaitInTheSynchronizationPrimitives() throws Exception {
        Lock lock = ctx.lock();
        Semaphore sem = ctx.semaphore(0);
        Event event = ctx.event();
        Barrier barrier = ctx.barrier(2);
        Barrier byDefault = ctx.barrier(2, null, Duration.ofSeconds(-1));
        Condition cond = ctx.condition(ctx.lock());
        lock.lock();
        try {
            assertTimeoutPreemptively(AT_ONCE, () -> {
                Thread other = Thread.ofPlatform().start(() -> {
                    try {
                        assertThat(lock.tryLock(-1, TimeUnit.SECONDS)).isFalse();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                other.join();
                assertThat(sem.tryAcquire(-1, TimeUnit.SECONDS)).isFalse();
                assertThat(sem.acquire(true, -1.0)).as("Python's acquire(timeout=-1): CPython's SemLock does not wait").isFalse();
                assertThat(event.await(-1, TimeUnit.SECONDS)).isFalse();
                assertThatThrownBy(() -> barrier.await(-1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
                assertThatThrownBy(byDefault::await).isInstanceOf(java.util.concurrent.BrokenBarrierException.class);
                cond.acquire();
                try {
                    assertThat(cond.await(-1, TimeUnit.SECONDS)).isFalse();
                } finally {
                    cond.release();
                }
            });
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldNotWaitForTheExecutorsResultsOrTheContextsWarmJvms() throws Exception {
        try (ProcessPoolExecutor ex = ctx.processPoolExecutor(1)) {
            ResultIterator<Long> it = ex.map(ProcessTargets::slowIdentity, List.of(2_000L), Duration.ofSeconds(-1), 1);
            assertTimeoutPreemptively(AT_ONCE, () -> assertThatThrownBy(it::next).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(TimeoutException.class));
        }
        assertTimeoutPreemptively(AT_ONCE, () -> Multiprocessing.getContext(StartMethod.FORK).awaitReady(Duration.ofSeconds(-1)));
    }
}
