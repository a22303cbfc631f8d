package io.mp4j.ipc.queue;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mp4j.ipc.queue.QueueLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Python 3.13's shutdown, and the states a consumer that died leaves in the claim slots (staged here with the
 * pid of a process that has ended; QueueProcessTest kills real consumers).
 */
class QueueShutdownAndDeadReaderTest {
    @TempDir
    static Path dir;

    @Test
    void shouldFailPutsAfterShutdownAndLetGetsTakeWhatIsLeftThenFail() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        q.put(1);
        q.put(2);
        assertThat(q.isShutDown()).isFalse();
        q.shutdown();
        assertThat(q.isShutDown()).isTrue();
        assertThatThrownBy(() -> q.put(3)).isInstanceOf(QueueShutDownException.class).hasMessageContaining("shut down");
        assertThatThrownBy(() -> q.offer(3)).isInstanceOf(QueueShutDownException.class);
        assertThat(q.get()).isEqualTo(1);
        assertThat(q.poll()).isEqualTo(2);
        assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class);
        assertThatThrownBy(q::poll).isInstanceOf(QueueShutDownException.class);
        assertThatThrownBy(q::getNowait).isInstanceOf(QueueShutDownException.class);
        @SuppressWarnings("unchecked")
        Queue<Integer> other = (Queue<Integer>) Queue.attach(q.handle());
        assertThat(other.isShutDown()).as("seen through every handle").isTrue();
        assertThatThrownBy(() -> other.put(4)).isInstanceOf(QueueShutDownException.class);
    }

    @Test
    void shouldDropWhatIsLeftMarkItsTasksDoneAndFailGetsAtOnceAfterAnImmediateShutdown() throws Exception {
        JoinableQueue<Integer> q = JoinableQueue.create(dir, Integer.class, 0);
        for (int i = 0; i < 5; i++) q.put(i);
        CompletableFuture<Boolean> joined = CompletableFuture.supplyAsync(() -> call(() -> q.join(Duration.ofSeconds(30))), QueueShutdownAndDeadReaderTest::thread);
        q.shutdown(true);
        assertThat(joined.get(30, TimeUnit.SECONDS)).as("join ends: every dropped item's task is done").isTrue();
        assertThat(q.unfinishedTasks()).isZero();
        assertThat(q.qsize()).isZero();
        assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class).hasMessageContaining("immediately");
        assertThatThrownBy(() -> q.put(9)).isInstanceOf(QueueShutDownException.class);
    }

    @Test
    void shouldWakeAGetWaitingOnAnEmptyQueueAndAPutWaitingOnAFullOneWithShutDown() throws Exception {
        Queue<Integer> empty = Queue.create(dir, Integer.class, 0);
        Queue<Integer> full = Queue.create(dir, Integer.class, 1);
        full.put(1);
        CompletableFuture<Integer> get = CompletableFuture.supplyAsync(() -> call(empty::take), QueueShutdownAndDeadReaderTest::thread);
        CompletableFuture<Integer> put = CompletableFuture.supplyAsync(() -> call(() -> {
            full.put(2);
            return 2;
        }), QueueShutdownAndDeadReaderTest::thread);
        awaitTrue(() -> empty.core.sleepingGetters() == 1 && full.core.sleepingPutters() == 1);
        empty.shutdown();
        full.shutdown();
        assertThatThrownBy(() -> get.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(QueueShutDownException.class);
        assertThatThrownBy(() -> put.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(QueueShutDownException.class);
        assertThat(full.get()).as("the item left is still got").isEqualTo(1);
    }

    @Test
    void shouldUndoTheCursorLockOfAConsumerThatDiedClaimingAnItem() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        q.put(1);
        q.put(2);
        ControlBlock ctl = q.core.control();
        int s = 7;
        long from = ctl.get(CLAIM_CURSOR_OFFSET);
        stageDeadOwner(ctl, s, from, firstIndex(q));
        ctl.setVolatile(CLAIM_CURSOR_OFFSET, LOCKED | s);
        assertThat(q.get(true, Duration.ofSeconds(10))).as("the item it was claiming, not claimed after all").isEqualTo(1);
        assertThat(q.get(true, Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(ctl.get(slot(s) + SLOT_OWNER)).as("the dead consumer's slot, freed").isZero();
        assertThat(q.qsize()).isZero();
    }

    @Test
    void shouldDeliverToAnotherConsumerTheItemThatADeadConsumerClaimedAndNeverReturned() throws Exception {
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        q.put(1);
        q.put(2);
        ControlBlock ctl = q.core.control();
        int s = 9;
        long first = firstIndex(q);
        stageDeadOwner(ctl, s, ctl.get(CLAIM_CURSOR_OFFSET), first);
        ctl.setVolatile(CLAIM_CURSOR_OFFSET, first + 1); // item 1 claimed by the dead consumer
        assertThat(q.qsize()).as("claimed, not returned: it still counts").isEqualTo(2);
        assertThat(q.get(true, Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(q.get(true, Duration.ofSeconds(10))).as("taken over from the dead consumer").isEqualTo(1);
        assertThat(q.poll()).isNull();
        assertThat(q.qsize()).isZero();
        assertThat(ctl.get(slot(s) + SLOT_OWNER)).isZero();
    }

    /** Slot {@code s} owned by a thread of a process that has ended, claiming {@code claim}. */
    private static void stageDeadOwner(ControlBlock ctl, int s, long from, long claim) throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        ctl.setVolatile(slot(s) + SLOT_FROM, from);
        ctl.setVolatile(slot(s) + SLOT_CLAIM, claim);
        ctl.setVolatile(slot(s) + SLOT_OWNER, (1L << 32) | p.pid());
    }

    private static long firstIndex(Queue<?> q) {
        try (SingleChronicleQueue cq = SingleChronicleQueueBuilder.binary(Path.of(q.handle().dir()).resolve("log"))
                .rollCycle(RollCycles.FAST_HOURLY).build();
             ExcerptTailer t = cq.createTailer();
             DocumentContext dc = t.readingDocument()) {
            assertThat(dc.isPresent()).isTrue();
            return dc.index();
        }
    }

    private static void thread(Runnable r) { Thread.ofPlatform().daemon().start(r); }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        io.mp4j.testkit.Await.until("the condition", condition);
    }
}
