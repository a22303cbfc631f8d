package io.mp4j.worker;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class FastExitTest {
    @Test
    void shouldListEveryLivePlatformThreadWithoutAStackWalk() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread daemon = Thread.ofPlatform().daemon(true).name("fast-exit-test").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            List<Thread> live = List.of(FastExit.liveThreads());
            assertThat(live).contains(Thread.currentThread(), daemon).doesNotContainNull().doesNotHaveDuplicates();
        } finally {
            release.countDown();
            daemon.join();
        }
        assertThat(FastExit.liveThreads()).doesNotContain(daemon);
    }
}
