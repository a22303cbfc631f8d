package io.mp4j.ipc.sync;

import io.mp4j.testkit.Await;
import io.mp4j.testkit.Background;
import io.mp4j.testkit.Syscall;
import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FutexTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static Path file;
    private static Arena arena;
    private static MemorySegment seg;

    @BeforeAll
    static void map() throws IOException {
        file = TestFiles.file("futex", ".shm");
        arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
        }
    }

    @AfterAll
    static void unmap() throws IOException {
        arena.close();
        Files.deleteIfExists(file);
    }

    @Test
    void shouldReturnEagainWhenTheWordDiffers() {
        INT.setVolatile(seg, 0L, 5);
        assertThat(Futex.wait(seg, 0, 4, 1_000_000_000L)).isEqualTo(Futex.EAGAIN);
    }

    @Test
    void shouldTimeOutWhenNobodyWakes() {
        INT.setVolatile(seg, 8L, 0);
        long t0 = System.nanoTime();
        assertThat(Futex.wait(seg, 8, 0, 20_000_000L)).isEqualTo(Futex.ETIMEDOUT);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(15_000_000L);
    }

    @Test
    void shouldWakeAWaitingThread() {
        INT.setVolatile(seg, 16L, 0);
        Background<Integer> waiter = Background.call("futex waiter", () -> Futex.wait(seg, 16, 0, 30_000_000_000L));
        waiter.awaitAsleepIn(Syscall.FUTEX);
        // asleep in a futex call, ours or (rarely) one of the JVM's own parks on its way: wake until one is woken
        Await.until("a wake that finds the waiter", () -> Futex.wake(seg, 16, 1) == 1);
        assertThat(waiter.result()).isEqualTo(Futex.WOKEN);
    }

    @Test
    void shouldRejectAMisalignedWord() {
        assertThatThrownBy(() -> Futex.wait(seg, 2, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aligned: offset=2");
        assertThatThrownBy(() -> Futex.wake(seg, 4096, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=4096");
    }

    @Test
    void shouldAwaitAPredicateSetByAnotherThread() throws Exception {
        INT.setVolatile(seg, 32L, 0);
        WaitStrategy ws = new WaitStrategy();
        CompletableFuture<Boolean> r = CompletableFuture.supplyAsync(() -> {
            try {
                return ws.await(seg, 32, 36, v -> v == 3, 10_000_000_000L);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        for (int i = 1; i <= 3; i++) {
            Await.until("the waiter asleep on the word", () -> WaitStrategy.sleepers(seg, 36) == 1);
            INT.setVolatile(seg, 32L, i);
            WaitStrategy.wake(seg, 32, 36, Integer.MAX_VALUE);
        }
        assertThat(r.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat((int) INT.getVolatile(seg, 36L)).as("sleepers").isZero();
    }

    @Test
    void shouldReturnFalseWhenThePredicateTimesOut() throws Exception {
        INT.setVolatile(seg, 40L, 0);
        long t0 = System.nanoTime();
        assertThat(new WaitStrategy().await(seg, 40, 44, v -> v == 1, 30_000_000L)).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(30_000_000L);
    }

    @Test
    void shouldThrowWhenInterruptedWhileAwaiting() throws Exception {
        INT.setVolatile(seg, 48L, 0);
        Background<Boolean> waiter = Background.call("awaiting", () -> new WaitStrategy().await(seg, 48, 52, v -> v == 1, -1));
        Await.until("the waiter asleep on the word", () -> WaitStrategy.sleepers(seg, 52) == 1);
        waiter.interrupt();
        assertThat(waiter.failure()).isInstanceOf(InterruptedException.class);
        waiter.awaitEnd();
    }
}
