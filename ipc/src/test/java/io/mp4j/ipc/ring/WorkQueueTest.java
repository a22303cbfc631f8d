package io.mp4j.ipc.ring;

import io.mp4j.testkit.Await;
import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The work queue's protocol: each task claimed once, claims that name their owner, replies of any size. */
class WorkQueueTest {
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception { dir = TestFiles.shmDir("wq-test"); }

    @AfterEach
    void removeDir() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static long publish(WorkProducer p, long id, int tag, String body) {
        byte[] b = bytes(body);
        return p.publish(id, tag, new byte[0], 0, b, 0, b.length);
    }

    @Test
    void everyTaskIsClaimedExactlyOnceByConsumersRacingInOtherMappings() throws Exception {
        int consumers = 3, tasks = 20_000;
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, consumers, 4096)) {
            WorkProducer prod = new WorkProducer(q);
            int[] gens = new int[consumers];
            for (int i = 0; i < consumers; i++) gens[i] = prod.open(i);
            ConcurrentHashMap<Long, Integer> claimedBy = new ConcurrentHashMap<>();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            CyclicBarrier start = new CyclicBarrier(consumers + 1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                int me = i;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (WorkQueue mine = WorkQueue.attach(q.path())) {
                        WorkConsumer c = WorkConsumer.join(mine, me, gens[me], 1);
                        start.await(10, TimeUnit.SECONDS); // a barrier throws TimeoutException past its deadline
                        while (true) {
                            int sig = c.taskSignal();
                            long id = c.claim(Integer.MAX_VALUE);
                            if (id > 0) {
                                String body = new String(c.payload(), 0, c.payloadLength(), StandardCharsets.UTF_8);
                                if (!body.equals("task " + id)) errors.add("task " + id + " carried " + body);
                                if (claimedBy.putIfAbsent(id, me) != null) errors.add("task " + id + " claimed twice");
                                byte[] r = bytes("done " + id);
                                c.reply(r, 0, r.length);
                            } else if (c.closed()) {
                                return;
                            } else {
                                c.awaitTasks(sig, TimeUnit.MILLISECONDS.toNanos(50));
                            }
                        }
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                }));
            }
            start.await(10, TimeUnit.SECONDS); // a barrier throws TimeoutException past its deadline
            ReplyReader reader = new ReplyReader(q);
            List<String> replies = new ArrayList<>();
            long next = 1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (replies.size() < tasks) {
                assertThat(System.nanoTime()).as("replies so far: %d", replies.size()).isLessThan(deadline);
                int sig = reader.signal();
                while (next <= tasks && publish(prod, next, 1, "task " + next) >= 0) next++;
                prod.signal(consumers);
                int got = 0;
                for (int i = 0; i < consumers; i++) got += reader.drain(i, (c, b, n) -> replies.add(new String(b, 0, n, StandardCharsets.UTF_8)));
                if (got == 0) reader.await(sig, TimeUnit.MILLISECONDS.toNanos(10));
            }
            prod.close();
            for (Thread t : threads) t.join(10_000);
            assertThat(errors).isEmpty();
            assertThat(claimedBy).hasSize(tasks);
            assertThat(q.claims()).isEqualTo(tasks);
            assertThat(prod.unclaimed()).isZero();
            assertThat(replies).hasSize(tasks).doesNotHaveDuplicates();
        }
    }

    @Test
    void aConsumerThatIsGoneLeavesBehindExactlyTheTaskItClaimed() {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 2, 1024)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer a = WorkConsumer.join(q, 0, prod.open(0), 11);
            WorkConsumer b = WorkConsumer.join(q, 1, prod.open(1), 12);
            for (long id = 1; id <= 4; id++) publish(prod, id, 1, "t" + id);
            assertThat(a.claim(10)).isEqualTo(1);
            assertThat(b.claim(10)).isEqualTo(2);
            assertThat(a.claim(10)).isEqualTo(3);
            assertThat(q.running(0)).isEqualTo(3);
            assertThat(q.pid(1)).isEqualTo(12);
            List<Long> left = new ArrayList<>();
            prod.abandoned(0, left::add);
            assertThat(left).containsExactly(3L);
            prod.release(0);
            assertThat(a.stillMine()).isFalse();
            assertThatThrownBy(() -> a.reply(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("given up");
            assertThat(prod.unclaimed()).isEqualTo(1);
            assertThat(b.claim(10)).isEqualTo(4);
            assertThat(b.claim(10)).isEqualTo(WorkConsumer.NONE);
        }
    }

    @Test
    void aTaskTakenBackIsNeverClaimedAndAClaimedOneCannotBeTakenBack() {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 1, 1024)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer c = WorkConsumer.join(q, 0, prod.open(0), 1);
            long p1 = publish(prod, 1, 1, "one");
            long p2 = publish(prod, 2, 1, "two");
            long p3 = publish(prod, 3, 1, "three");
            assertThat(c.claim(10)).isEqualTo(1);
            assertThat(prod.cancel(p1, 1)).isFalse();
            assertThat(prod.cancel(p2, 2)).isTrue();
            assertThat(prod.cancel(p2, 2)).isFalse();
            assertThat(prod.cancel(p3, 99)).as("wrong id").isFalse();
            assertThat(c.claim(10)).isEqualTo(3);
            assertThat(new String(c.payload(), 0, c.payloadLength(), StandardCharsets.UTF_8)).isEqualTo("three");
            assertThat(prod.unclaimed()).isZero();
        }
    }

    @Test
    void aConsumerRefusesATaskWhoseTagIsAboveItsLimitAndLeavesItForAnother() {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 2, 1024)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer a = WorkConsumer.join(q, 0, prod.open(0), 1);
            WorkConsumer b = WorkConsumer.join(q, 1, prod.open(1), 2);
            publish(prod, 1, 3, "three items");
            assertThat(a.claim(2)).isEqualTo(WorkConsumer.REFUSED);
            assertThat(b.claim(3)).isEqualTo(1);
            assertThat(b.tag()).isEqualTo(3);
        }
    }

    @Test
    void theRingWrapsAndRefusesToPublishWhenFullUntilRecordsAreClaimed() {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 1, 1024)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer c = WorkConsumer.join(q, 0, prod.open(0), 1);
            String body = "x".repeat(100); // 24 + 100 -> 128-byte records
            long id = 1;
            for (int round = 0; round < 5; round++) {
                int published = 0;
                while (publish(prod, id, 1, body + id) >= 0) {
                    id++;
                    published++;
                }
                assertThat(published).as("round %d", round).isBetween(20, 32);
                for (int i = 0; i < published; i++) {
                    long got = c.claim(1);
                    assertThat(got).isPositive();
                    assertThat(new String(c.payload(), 0, c.payloadLength(), StandardCharsets.UTF_8)).isEqualTo(body + got);
                }
                assertThat(c.claim(1)).isEqualTo(WorkConsumer.NONE);
            }
        }
    }

    @Test
    void aPayloadTooLargeForTheRingTravelsInAFileThatItsConsumerRemoves() {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 1, 1024)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer c = WorkConsumer.join(q, 0, prod.open(0), 1);
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 7);
            byte[] head = {1, 2, 3};
            assertThat(prod.publish(1, 1, head, 3, big, 0, big.length)).isGreaterThanOrEqualTo(0);
            assertThat(Files.exists(dir.resolve("q.1"))).isTrue();
            long cancelled = prod.publish(2, 1, head, 3, big, 0, big.length);
            assertThat(prod.cancel(cancelled, 2)).isTrue();
            assertThat(Files.exists(dir.resolve("q.2"))).as("a cancelled task's file").isFalse();
            assertThat(c.claim(1)).isEqualTo(1);
            assertThat(c.payloadLength()).isEqualTo(100_003);
            assertThat(Arrays.copyOfRange(c.payload(), 0, 4)).containsExactly(1, 2, 3, 7);
            assertThat(Files.exists(dir.resolve("q.1"))).isFalse();
        }
    }

    @Test
    void aReplyLargerThanItsRingArrivesWholeWhileTheProducerReads() throws Exception {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 1, 1024)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer c = WorkConsumer.join(q, 0, prod.open(0), 1);
            byte[] big = new byte[50_000];
            for (int i = 0; i < big.length; i++) big[i] = (byte) i;
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < 3; k++) {
                        c.reply(big, 0, big.length);
                        c.reply(new byte[0], 0, 0);
                    }
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            });
            ReplyReader r = new ReplyReader(q);
            List<byte[]> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 6 && System.nanoTime() < deadline) {
                int sig = r.signal();
                if (r.drain(0, (who, b, n) -> got.add(Arrays.copyOf(b, n))) == 0) r.await(sig, TimeUnit.MILLISECONDS.toNanos(10));
            }
            Await.ended(t, Duration.ofSeconds(10));
            assertThat(errors).isEmpty();
            assertThat(got).hasSize(6);
            for (int k = 0; k < 3; k++) {
                assertThat(got.get(2 * k)).isEqualTo(big);
                assertThat(got.get(2 * k + 1)).isEmpty();
            }
        }
    }

    @Test
    void attachRefusesWhatIsNotAWorkQueueAndCreateRefusesBadSizes() throws Exception {
        assertThatThrownBy(() -> WorkQueue.create(dir.resolve("a"), 1000, 1, 1024)).hasMessageContaining("taskBytes=1000");
        assertThatThrownBy(() -> WorkQueue.create(dir.resolve("b"), 4096, 0, 1024)).hasMessageContaining("consumers=0");
        assertThatThrownBy(() -> WorkQueue.create(dir.resolve("c"), 4096, 1, 100)).hasMessageContaining("replyBytes=100");
        io.mp4j.ipc.shm.Segment.create(dir.resolve("other"), 0, 4096, true).close();
        assertThatThrownBy(() -> WorkQueue.attach(dir.resolve("other"))).hasMessageContaining("not a work queue");
        assertThatThrownBy(() -> WorkQueue.attach(dir.resolve("missing"))).hasMessageContaining("no such");
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 1, 1024)) {
            int gen = new WorkProducer(q).open(0);
            assertThatThrownBy(() -> WorkConsumer.join(q, 0, gen + 1, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("generation");
        }
    }

    @Test
    void theConsumerIdleLastSpinsThenSleepsAndADeadSpinnersRoleIsFreed() throws Exception {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 2, 4096)) {
            WorkProducer prod = new WorkProducer(q);
            WorkConsumer a = WorkConsumer.join(q, 0, prod.open(0), 1);
            WorkConsumer b = WorkConsumer.join(q, 1, prod.open(1), 1);
            assertThat(spinner(q)).as("nobody spins before anybody waits").isZero();

            io.mp4j.ipc.sync.Futex.linkNow(); // a JVM still linking its futex polls instead of sleeping, uncounted
            // consumer 0 spins (its role set by hand); consumer 1 goes idle after it: it takes the role, spins, and
            // gives the role up when it goes to sleep
            WorkQueue.INT.setVolatile(q.mem, WorkQueueLayout.SPINNER_OFFSET, 1);
            int sig = b.taskSignal();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    b.awaitTasks(sig, TimeUnit.SECONDS.toNanos(20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Await.until("consumer 1 asleep on the task signal", () -> io.mp4j.ipc.sync.WaitStrategy.sleepers(q.mem, WorkQueueLayout.TASK_SLEEPERS_OFFSET) == 1);
            assertThat(spinner(q)).as("the sleeper holds no role, and consumer 0's was taken").isZero();
            publish(prod, 1, 1, "task 1");
            prod.signal(1);
            Await.ended(waiter);
            assertThat(b.claim(Integer.MAX_VALUE)).isEqualTo(1);

            // consumer 0 dies holding the role: the producer frees it with the rest of what consumer 0 left
            WorkQueue.INT.setVolatile(q.mem, WorkQueueLayout.SPINNER_OFFSET, 1);
            prod.abandoned(0, id -> { });
            assertThat(spinner(q)).isZero();

            // a consumer that spun gives the role back whether its spin saw the task or it went to sleep
            int sig2 = a.taskSignal();
            publish(prod, 2, 1, "task 2");
            prod.signal(1);
            a.awaitTasks(sig2, TimeUnit.SECONDS.toNanos(20));
            assertThat(spinner(q)).isZero();
            a.awaitTasks(a.taskSignal(), TimeUnit.MILLISECONDS.toNanos(1));
            assertThat(spinner(q)).isZero();
        }
    }

    private static int spinner(WorkQueue q) { return (int) WorkQueue.INT.getVolatile(q.mem, WorkQueueLayout.SPINNER_OFFSET); }
}
