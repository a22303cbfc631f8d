package io.mp4j.ipc.queue;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import io.mp4j.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Single-process behaviour of the queues: forms, bounds, timeouts, encoding, handles. Threads stand in for processes. */
class QueueTest {
    @TempDir
    static Path dir;

    record Point(int x, int y) {}

    @Test
    void shouldGetItemsInPutOrder() throws Exception {
        Queue<Object> q = Queue.create(dir, Object.class, 0);
        q.put(1);
        q.put("two");
        q.put(3L);
        q.put(List.of(4, 5));
        assertThat(q.qsize()).isEqualTo(4);
        assertThat(q.get()).isEqualTo(1);
        assertThat(q.get()).isEqualTo("two");
        assertThat(q.get()).isEqualTo(3L);
        assertThat(q.get()).isEqualTo(List.of(4, 5));
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void shouldDecodeRecordsAgainstTheDeclaredType() throws Exception {
        Queue<Point> q = Queue.create(dir, Point.class, 0);
        q.put(new Point(1, 2));
        assertThat(q.get()).isEqualTo(new Point(1, 2));
    }

    @Test
    void shouldSignalEmptyAsPythonDoes() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
        assertThatThrownBy(() -> q.get(false, null)).isInstanceOf(QueueEmptyException.class);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> q.get(true, Duration.ofMillis(100))).isInstanceOf(QueueEmptyException.class);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(q.poll()).isNull();
        assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(q.peek()).isNull();
        assertThatThrownBy(q::remove).isInstanceOf(QueueEmptyException.class);
    }

    @Test
    void shouldRespectMaxsize() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 2);
        assertThat(q.maxsize()).isEqualTo(2);
        q.put(1);
        q.putNowait(2);
        assertThat(q.isFull()).isTrue();
        assertThat(q.remainingCapacity()).isZero();
        assertThatThrownBy(() -> q.putNowait(3)).isInstanceOf(QueueFullException.class);
        assertThat(q.offer(3)).isFalse();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> q.put(3, true, Duration.ofMillis(100))).isInstanceOf(QueueFullException.class);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThatThrownBy(() -> q.add(3)).isInstanceOf(QueueFullException.class);
        assertThat(q.qsize()).isEqualTo(2);
        assertThat(q.get()).isEqualTo(1);
        assertThat(q.isFull()).isFalse();
        q.putNowait(3);
        assertThat(List.of(q.get(), q.get())).containsExactly(2, 3);
    }

    @Test
    void shouldUnblockAPutWaitingOnAFullQueueWhenAnItemIsTaken() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 1);
        q.put(1);
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                q.put(2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the put asleep on the full queue", () -> q.core.sleepingPutters() == 1);
        assertThat(put).isNotDone();
        assertThat(q.take()).isEqualTo(1);
        put.get(5, TimeUnit.SECONDS);
        assertThat(q.take()).isEqualTo(2);
    }

    /**
     * A burst of items for getters that all sleep: a put wakes one sleeper (no system call while a wake-up is
     * on its way), and each woken getter wakes the next while items are left, so that every getter gets an item.
     * How soon they get it (a getter left asleep would notice only when its 50 ms sleep slice ends) is the
     * benchmark's figure {@code queue_burst_wake_ms}.
     */
    @Test
    void shouldWakeEverySleepingGetterOfABurst() throws Exception {
        int getters = 4, rounds = 3;
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        Semaphore go = new Semaphore(0), took = new Semaphore(0);
        List<Thread> threads = new ArrayList<>();
        for (int g = 0; g < getters; g++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        go.acquire(); // one item per getter per burst: an awake getter cannot take the others'
                        got.add(q.get());
                        took.release();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int r = 0; r < rounds; r++) {
            go.release(getters);
            Await.until("all getters asleep on the empty queue", q.core::sleepingGetters, n -> n == getters);
            for (int g = 0; g < getters; g++) q.put(r * getters + g);
            assertThat(took.tryAcquire(getters, 30, TimeUnit.SECONDS)).as("every getter of burst %d got an item", r).isTrue();
        }
        for (Thread t : threads) Await.ended(t);
        assertThat(got).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, rounds * getters).boxed().toList());
    }

    /** As {@link #shouldWakeEverySleepingGetterOfABurst}, for putters asleep on a full bounded queue. */
    @Test
    void shouldWakeEverySleepingPutterWhenABurstOfSlotsFrees() throws Exception {
        int putters = 4, rounds = 3;
        Queue<Integer> q = Queue.create(dir, Integer.class, putters);
        Semaphore start = new Semaphore(0), put = new Semaphore(0);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < putters; p++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        start.acquire();
                        q.put(r);
                        put.release();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < putters; k++) q.put(-1); // full
            start.release(putters);
            Await.until("all putters asleep on the full queue", q.core::sleepingPutters, n -> n == putters);
            for (int k = 0; k < putters; k++) assertThat(q.take()).isEqualTo(-1);
            assertThat(put.tryAcquire(putters, 30, TimeUnit.SECONDS)).as("every putter of burst %d put its item", r).isTrue();
            for (int k = 0; k < putters; k++) assertThat(q.take()).isEqualTo(r);
        }
        for (Thread t : threads) Await.ended(t);
    }

    @Test
    void shouldUnblockAGetWhenAnItemIsPut() throws Exception {
        Queue<String> q = Queue.create(dir, String.class, 0);
        CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
            try {
                return q.get();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.put("hello");
        assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
    }

    @Test
    void shouldThrowInterruptedExceptionFromABlockedGet() throws Exception {
        Queue<String> q = Queue.create(dir, String.class, 0);
        Thread.currentThread().interrupt();
        assertThatThrownBy(q::take).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void shouldFailInPutWhenAnItemCannotBeEncodedAndStoreNothing() throws Exception {
        Queue<Object> q = Queue.create(dir, Object.class, 1);
        assertThatThrownBy(() -> q.put(new Object())).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> q.put(Thread.currentThread())).isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.Thread");
        assertThat(q.qsize()).isZero();
        assertThat(q.remainingCapacity()).isEqualTo(1);
        q.put("ok");
        assertThat(q.get()).isEqualTo("ok");
    }

    record Unregistered(int v) {}

    @Test
    void shouldFailInPutWhenNoConsumerCouldDecodeTheItem() throws Exception {
        Queue<Object> q = Queue.create(dir, Object.class, 0);
        assertThatThrownBy(() -> q.put(new Unregistered(1))).isInstanceOf(CodecException.class)
                .hasMessageContaining("register").hasMessageContaining("Unregistered");
        assertThat(q.qsize()).isZero();
        assertThatThrownBy(() -> q.put(new java.util.concurrent.locks.ReentrantLock())).isInstanceOf(CodecException.class)
                .hasMessageContaining("ReentrantLock").hasMessageContaining("ctx.rlock()");
        assertThat(q.qsize()).isZero();
        Codec.register(Point.class);
        q.put(new Point(3, 4));
        assertThat(q.get()).isEqualTo(new Point(3, 4));
    }

    @Test
    void shouldRejectItemsOfTheWrongTypeAndNull() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Queue<Object> raw = (Queue) Queue.create(dir, Integer.class, 0);
        assertThatThrownBy(() -> raw.put("x")).isInstanceOf(ClassCastException.class).hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> raw.put(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldRejectANegativeMaxsize() {
        assertThatThrownBy(() -> Queue.create(dir, Integer.class, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxsize=-1");
    }

    @Test
    void shouldPeekWithoutTaking() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        q.put(7);
        q.put(8);
        assertThat(q.peek()).isEqualTo(7);
        assertThat(q.peek()).isEqualTo(7);
        assertThat(q.take()).isEqualTo(7);
        assertThat(q.element()).isEqualTo(8);
    }

    @Test
    void shouldTravelAsAHandleAndShareItsItems() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 3);
        q.put(41);
        @SuppressWarnings("unchecked")
        Queue<Integer> other = (Queue<Integer>) Codec.decode(Codec.encode(q, Queue.class), Queue.class);
        assertThat(other).isInstanceOf(Queue.class).isNotSameAs(q);
        assertThat(((Queue<?>) other).maxsize()).isEqualTo(3);
        assertThat(other.take()).isEqualTo(41);
        other.put(42);
        assertThat(q.take()).isEqualTo(42);

        JoinableQueue<String> jq = JoinableQueue.create(dir, String.class, 0);
        Object back = Codec.decode(Codec.encode(jq, Queue.class), Queue.class);
        assertThat(back).isInstanceOf(JoinableQueue.class);
        assertThat(Codec.decode(Codec.encode(jq, Object.class), Object.class)).isInstanceOf(JoinableQueue.class);
        SimpleQueue<String> sq = SimpleQueue.create(dir, String.class);
        Object sback = Codec.decode(Codec.encode(sq, SimpleQueue.class), SimpleQueue.class);
        sq.put("s");
        assertThat(((SimpleQueue<?>) sback).get()).isEqualTo("s");
    }

    @Test
    void shouldCountUnfinishedTasksAndRefuseExtraTaskDone() throws Exception {
        JoinableQueue<Integer> q = JoinableQueue.create(dir, Integer.class, 0);
        q.put(1);
        q.put(2);
        assertThat(q.join(Duration.ofMillis(20))).isFalse();
        q.get();
        q.taskDone();
        q.get();
        CompletableFuture<Boolean> joined = CompletableFuture.supplyAsync(() -> {
            try {
                q.join();
                return true;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the joiner asleep on the unfinished count", () -> q.core.sleepingJoiners() == 1);
        assertThat(joined).isNotDone();
        q.taskDone();
        assertThat(joined.get(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class).hasMessageContaining("more times");
    }

    @Test
    void shouldRefuseUseAfterClose() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        q.put(1);
        q.close();
        assertThatThrownBy(() -> q.put(2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(q::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldDeliverEveryItemOnceAcrossThreeProducersAndThreeConsumerThreads() throws Exception {
        int producers = 3, consumers = 3, perProducer = 20_000;
        Queue<Long> q = Queue.create(dir, Long.class, 1000);
        CyclicBarrier start = new CyclicBarrier(producers + consumers);
        List<CompletableFuture<List<Long>>> got = new ArrayList<>();
        List<CompletableFuture<Void>> put = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            put.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) q.put(base | i);
                    q.put(-1L);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().start(r)));
        }
        for (int c = 0; c < consumers; c++) {
            got.add(CompletableFuture.supplyAsync(() -> {
                List<Long> mine = new ArrayList<>();
                try {
                    start.await();
                    for (long v; (v = q.take()) != -1L; ) mine.add(v);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return mine;
            }, r -> Thread.ofPlatform().start(r)));
        }
        for (var f : put) f.get(60, TimeUnit.SECONDS);
        List<List<Long>> all = new ArrayList<>();
        for (var f : got) all.add(f.get(60, TimeUnit.SECONDS));
        DeliveryCheck.assertExactlyOnceInOrder(all, producers, perProducer);
        assertThat(q.qsize()).isZero();
        assertThat(Files.exists(dir)).isTrue();
    }

    @Test
    void shouldDeleteCycleFilesWhoseItemsWereAllTakenAndKeepDelivering() throws Exception {
        System.setProperty(ChronicleItemLog.ROLL_CYCLE_PROPERTY, "TEST_SECONDLY");
        try {
            Queue<Integer> q = Queue.create(dir, Integer.class, 0);
            Path log = Path.of(q.handle().dir()).resolve("log");
            q.put(0);
            awaitNextCycle(); // each item in its own one-second cycle file
            q.put(1);
            awaitNextCycle();
            q.put(2);
            assertThat(cycleFiles(log)).hasSizeGreaterThanOrEqualTo(3);
            assertThat(q.get()).isZero();
            assertThat(q.get()).isEqualTo(1);
            // taking the item of the third cycle: the first is fully taken and deleted, the second is kept
            assertThat(q.get()).isEqualTo(2);
            assertThat(cycleFiles(log)).hasSizeLessThanOrEqualTo(2);
            @SuppressWarnings("unchecked")
            Queue<Integer> late = (Queue<Integer>) Queue.attach(q.handle());
            q.put(4);
            assertThat(late.get()).as("a reader attached after the deletion").isEqualTo(4);
        } finally {
            System.clearProperty(ChronicleItemLog.ROLL_CYCLE_PROPERTY);
        }
    }

    /** The roll cycle is the clock's second (TEST_SECONDLY): waits for the next one to begin. */
    private static void awaitNextCycle() {
        long now = System.currentTimeMillis() / 1000;
        Await.until("the next one-second roll cycle", () -> System.currentTimeMillis() / 1000 > now);
    }

    private static List<String> cycleFiles(Path log) throws java.io.IOException {
        try (var s = Files.list(log)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).toList();
        }
    }
}
