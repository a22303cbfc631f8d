package io.mp4j.testkit;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwaitTest {
    @Test
    void shouldReturnTheStateOnceAcceptedWithoutWaitingWhenItAlreadyIs() {
        AtomicInteger n = new AtomicInteger();
        assertThat(Await.until("n reaches 3", n::incrementAndGet, v -> v >= 3)).isEqualTo(3);
        Await.until("true", () -> true, Duration.ZERO);
    }

    @Test
    void shouldFailNamingWhatItWaitedForAndTheLastStateItSaw() {
        assertThatThrownBy(() -> Await.until("the counter to reach 10", () -> 7, v -> v == 10, Duration.ofMillis(50)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("for the counter to reach 10").hasMessageContaining("last state: 7");
        assertThatThrownBy(() -> Await.until("a file", () -> { throw new IllegalStateException("not there"); }, v -> true, Duration.ofMillis(20)))
                .hasMessageContaining("unreadable").hasMessageContaining("not there");
    }

    @Test
    void shouldEndAWaitWhenTheWaitingThreadIsInterrupted() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Await.until("never", () -> false)).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("the status is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldFailWithTheStackOfAThreadThatDidNotEnd() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().daemon(true).name("stuck").start(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> Await.ended(t, Duration.ofMillis(50))).hasMessageContaining("stuck")
                .hasMessageContaining("still running").cause().hasMessageContaining("stack of stuck");
        never.countDown();
        Await.ended(t);
    }

    @Test
    void shouldGiveAFuturesValueOrItsFailureWithinTheDeadline() throws Exception {
        assertThat(Await.value(CompletableFuture.completedFuture(5), Duration.ofSeconds(1))).isEqualTo(5);
        assertThatThrownBy(() -> Await.value(CompletableFuture.failedFuture(new IllegalStateException("x"))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Await.value(new CompletableFuture<>(), Duration.ofMillis(20))).hasMessageContaining("no result within");
    }
}
