package io.mp4j.ipc.sync;

import io.mp4j.ipc.queue.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where futexes are not supported (Linux other than x86_64), every wait polls instead: checked in a JVM of its
 * own that believes it runs on aarch64 ({@code -Dos.arch=aarch64}), with a contended lock, an event, a condition
 * and a blocked queue get, each woken from another thread.
 */
class FutexFallbackTest {

    @Test
    void shouldWaitByPollingWhereFutexesAreNotSupported(@TempDir Path dir) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dos.arch=aarch64", "-Dmp4j.queue.noWarmup=true"));
        cmd.addAll(io.mp4j.ipc.JvmOptions.REQUIRED);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FutexFallbackTest.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the JVM without futexes ends").isTrue();
            out = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("supported=false", "lock=true", "event=true", "condition=true", "queue=7", "polled=true");
    }

    /** The JVM without futexes: {@code args[0]} is a directory for the primitives' files. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Lock lock = Lock.create(dir);
        Event event = Event.create(dir);
        Condition cond = Condition.create(dir, Lock.create(dir));
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);

        lock.lock();
        CompletableFuture<Boolean> locked = waiter(() -> {
            boolean got = lock.tryLock(30, TimeUnit.SECONDS);
            if (got) lock.unlock();
            return got;
        });
        awaitPolls();
        lock.unlock();

        CompletableFuture<Boolean> set = waiter(() -> event.await(30, TimeUnit.SECONDS));
        awaitPolls();
        event.set();

        CompletableFuture<Boolean> signalled = waiter(() -> {
            cond.acquire();
            try {
                return cond.await(30, TimeUnit.SECONDS);
            } finally {
                cond.release();
            }
        });
        io.mp4j.testkit.Await.until("a waiter in await", () -> cond.getWaitQueueLength() > 0);
        cond.acquire();
        cond.signal();
        cond.release();

        CompletableFuture<Integer> got = waiter(q::take);
        awaitPolls();
        q.put(7);

        System.out.println("supported=" + Futex.isSupported() + " lock=" + locked.get(30, TimeUnit.SECONDS)
                + " event=" + set.get(30, TimeUnit.SECONDS) + " condition=" + signalled.get(30, TimeUnit.SECONDS)
                + " queue=" + got.get(30, TimeUnit.SECONDS) + " polled=" + (WaitStrategy.POLLED_WAITS.get() > 0));
        q.close();
        System.exit(0); // Chronicle's background threads
    }

    interface Wait<T> {
        T call() throws Exception;
    }

    private static <T> CompletableFuture<T> waiter(Wait<T> w) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(w.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Waits until some thread has polled anew (it is waiting), for at most 30 s. */
    private static void awaitPolls() {
        long before = WaitStrategy.POLLED_WAITS.get();
        io.mp4j.testkit.Await.until("a new polled wait", () -> WaitStrategy.POLLED_WAITS.get() != before);
    }
}
