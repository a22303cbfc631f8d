package io.mp4j.ipc.sync;

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
        file = Files.createTempFile("futex-test", ".shm");
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
    void shouldWakeAWaitingThread() throws Exception {
        INT.setVolatile(seg, 16L, 0);
        CountDownLatch about = new CountDownLatch(1);
        CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
            about.countDown();
            int code;
            do { code = Futex.wait(seg, 16, 0, 10_000_000_000L); } while ((int) INT.getVolatile(seg, 16L) == 0);
            return code;
        });
        about.await();
        int woken = 0;
        INT.setVolatile(seg, 16L, 1);
        long end = System.nanoTime() + 5_000_000_000L;
        while (!r.isDone() && System.nanoTime() < end) woken += Futex.wake(seg, 16, 1);
        assertThat(r.get(5, TimeUnit.SECONDS)).isIn(Futex.WOKEN, Futex.EAGAIN);
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
            Thread.sleep(5);
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
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                new WaitStrategy().await(seg, 48, 52, v -> v == 1, -1);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        while ((int) INT.getVolatile(seg, 52L) == 0) Thread.onSpinWait(); // asleep in the kernel
        t.interrupt();
        t.join(5_000);
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
    }
}
