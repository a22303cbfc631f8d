package io.mp4j.core.pool;

import io.mp4j.ipc.ring.ReplyReader;
import io.mp4j.ipc.ring.WorkConsumer;
import io.mp4j.ipc.ring.WorkProducer;
import io.mp4j.ipc.ring.WorkQueue;
import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.testkit.Await;
import io.mp4j.testkit.TestFiles;
import io.mp4j.worker.pool.PoolMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Who reads the workers' replies: the reader thread, or a caller about to block for its result. */
class ResultReaderTest {
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception { dir = TestFiles.shmDir("rr-test"); }

    @AfterEach
    void removeDir() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    /** Records which thread heard each HELLO; says the pool is finished once asked to. */
    private static final class FakePool implements ResultReader.Pool {
        final WorkerSlot[] slots;
        final List<Thread> helloOn = new CopyOnWriteArrayList<>();
        final AtomicBoolean finished = new AtomicBoolean();

        FakePool(WorkerSlot w) { slots = new WorkerSlot[]{w}; }

        @Override public WorkerSlot[] workers() { return slots; }
        @Override public void hello(WorkerSlot w, long pid) { helloOn.add(Thread.currentThread()); }
        @Override public Dispatcher.Task finished(WorkerSlot w, long id) { return null; }
        @Override public void counted(int completed, int failed) { }
        @Override public void leaving(WorkerSlot w, String reason, boolean bye) { }
        @Override public void initializerFailed(WorkerSlot w, Throwable error) { throw new AssertionError(error); }
        @Override public void killed(WorkerSlot w, long id, String message) { }
        @Override public void exitedAfterReplies(WorkerSlot w, Integer code) { }
        @Override public boolean afterReplies() { return !finished.get(); }
        @Override public boolean needsReader() { return finished.get(); }
    }

    private static void hello(WorkConsumer c) throws InterruptedException {
        WireBuffer b = new WireBuffer(64);
        PoolMessages.writeHello(b, 42);
        c.reply(b.array(), 0, b.size());
    }

    @Test
    void aWaitingCallerReadsRepliesItselfAndHelpsNoMoreOnceTheReaderEnded() throws Exception {
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 4096, 1, 4096)) {
            WorkProducer prod = new WorkProducer(q);
            int gen = prod.open(0);
            WorkConsumer c = WorkConsumer.join(q, 0, gen, 1);
            FakePool pool = new FakePool(new WorkerSlot(1, "w1", 0, gen));
            ResultReader reader = new ResultReader(new ReplyReader(q), pool);

            // no reader thread yet: the caller's help is the only reading there is
            hello(c);
            reader.help(() -> !pool.helloOn.isEmpty(), TimeUnit.SECONDS.toNanos(20));
            assertThat(pool.helloOn).containsExactly(Thread.currentThread());

            // with the reader thread running, a reply reaches the pool whoever reads it, exactly once
            Thread t = Thread.ofPlatform().daemon(true).start(reader);
            hello(c);
            Await.until("the second HELLO read", () -> pool.helloOn.size() == 2);
            reader.help(() -> pool.helloOn.size() > 2, TimeUnit.MILLISECONDS.toNanos(1));
            assertThat(pool.helloOn).hasSize(2);

            // the pool finishes: the reader thread ends, and a caller's help no longer touches the rings
            pool.finished.set(true);
            reader.poke();
            Await.ended(t);
            hello(c);
            reader.help(() -> false, TimeUnit.MILLISECONDS.toNanos(1));
            assertThat(pool.helloOn).hasSize(2);
        }
    }
}
