package io.mp4j.ipc.connection;

import io.mp4j.testkit.Background;
import io.mp4j.testkit.Syscall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connections.wait over connections and completion stages. */
class ConnectionsWaitTest {
    @TempDir
    Path dir;

    @Test
    void shouldReturnTheReadyOnesInTheOrderGiven() throws Exception {
        try (Pipe a = Pipe.open(true, null); Pipe b = Pipe.open(true, null); Pipe c = Pipe.open(true, null)) {
            c.second().send(1);
            a.second().send(2);
            assertThat(Connections.wait(List.of(a.first(), b.first(), c.first()))).containsExactly(a.first(), c.first());
        }
    }

    @Test
    void shouldReturnNothingAfterTheTimeout() throws Exception {
        try (Pipe a = Pipe.open(true, null)) {
            long t0 = System.nanoTime();
            assertThat(Connections.wait(List.of(a.first()), Duration.ofMillis(50))).isEmpty();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
            assertThat(Connections.wait(List.of(a.first()), 0, TimeUnit.SECONDS)).isEmpty();
            assertThat(Connections.wait(List.of(a.first()), -1, TimeUnit.SECONDS)).as("a negative timeout does not wait").isEmpty();
        }
    }

    @Test
    void shouldWakeWhenAStageCompletesWhileWaiting() throws Exception {
        try (Pipe a = Pipe.open(true, null)) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Background<List<Object>> waiting = Background.call("waiting", () -> Connections.wait(List.of(a.first(), exit), Duration.ofSeconds(30)));
            waiting.awaitAsleepIn(Syscall.POLL);
            exit.complete(0);
            assertThat(waiting.result()).containsExactly(exit);
            CompletableFuture<Integer> failed = CompletableFuture.failedFuture(new IllegalStateException("died"));
            assertThat(Connections.wait(List.of(failed))).containsExactly(failed);
        }
    }

    @Test
    void shouldSeeMessagesAlreadyReadAheadIntoTheBuffer() throws Exception {
        try (Pipe a = Pipe.open(true, null)) {
            a.second().send(1);
            a.second().send(2);
            assertThat(a.first().recv()).isEqualTo(1); // reads 2 ahead: the socket is now empty
            assertThat(Connections.wait(List.of(a.first()), Duration.ZERO)).containsExactly(a.first());
        }
    }

    @Test
    void shouldCountAClosedOrHungUpConnectionAsReady() throws Exception {
        try (Pipe a = Pipe.open(true, null); Pipe b = Pipe.open(true, null)) {
            a.first().close();
            b.second().close();
            assertThat(Connections.wait(List.of(a.first(), b.first()))).containsExactly(a.first(), b.first());
        }
    }

    @Test
    void shouldRefuseObjectsItCannotWaitOn() throws Exception {
        try (Pipe oneWay = Pipe.open(false, null)) {
            assertThatThrownBy(() -> Connections.wait(List.of(oneWay.second()))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("send-only");
            assertThatThrownBy(() -> Connections.wait(List.of("text"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.String");
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWhenInterrupted() throws Exception {
        try (Pipe a = Pipe.open(true, null)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> Connections.wait(List.of(a.first()))).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
        }
    }

    @Test
    void shouldWarmUpWithoutLeavingADescriptorOpen() throws Exception {
        Connections.warmUp();
        long before = openDescriptors();
        Connections.warmUp();
        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static long openDescriptors() throws Exception {
        try (var s = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
