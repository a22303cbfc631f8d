package io.mp4j.testkit;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackgroundTest {
    @Test
    void shouldSeeACallAsleepInTheKernelAndItsOutcomeOnceWoken() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Background<Object> accept = Background.call("accepting", server::accept);
            accept.awaitAsleepIn(Syscall.ACCEPT, Syscall.POLL);
            assertThat(accept.isAsleepIn(Syscall.SEND)).as("not in another call").isFalse();
            server.close();
            assertThat(accept.failure()).isInstanceOf(SocketException.class);
            accept.awaitEnd();
        }
    }

    @Test
    void shouldNotCountAThreadThatRunsAsAsleep() {
        CountDownLatch stop = new CountDownLatch(1), running = new CountDownLatch(1);
        Background<Integer> busy = Background.call("busy", () -> {
            running.countDown();
            long x = 0;
            while (stop.getCount() > 0) x++;
            return (int) (x & 1) + 41;
        });
        // a thread that is starting, or held at a safepoint, is briefly asleep in the kernel: look until it runs
        Await.until("the busy thread seen running", () -> running.getCount() == 0 && !busy.isAsleepIn(Syscall.values()));
        stop.countDown();
        assertThat(busy.result()).isBetween(41, 42);
    }

    @Test
    void shouldFailAWaitForBlockingWhenTheCallEndsFirst() {
        Background<String> quick = Background.call("quick", () -> "done");
        assertThatThrownBy(() -> quick.awaitAsleepIn(Syscall.RECEIVE)).hasMessageContaining("ended before it blocked")
                .hasMessageContaining("returned done");
        assertThatThrownBy(quick::failure).hasMessageContaining("instead of throwing");
    }
}
