package io.mp4j;

import io.mp4j.function.Task1;
import io.mp4j.ipc.sync.Lock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Objects made by one context refuse to be used by a process of an incompatible context. */
class ContextMixingTest {
    public static void useLock(Lock lock) throws Exception {
        lock.lock();
        lock.unlock();
    }

    @Test
    void shouldRefuseAThreadContextLockInASpawnProcessNamingBothContexts() {
        Lock threadLock = Multiprocessing.getContext(StartMethod.THREAD).lock();
        Task1<Lock> target = ContextMixingTest::useLock;
        MpProcess p = Multiprocessing.getContext(StartMethod.SPAWN).process(target, threadLock);
        assertThatThrownBy(p::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thread context").hasMessageContaining("spawn context").hasMessageContaining("argument 0");
        assertThat(p.pid()).as("nothing started").isNull();
    }

    @Test
    void shouldAcceptAThreadContextLockInAThreadProcessAndASpawnLockAnywhere() throws Exception {
        Lock threadLock = Multiprocessing.getContext(StartMethod.THREAD).lock();
        Task1<Lock> target = ContextMixingTest::useLock;
        MpProcess t = Multiprocessing.getContext(StartMethod.THREAD).process(target, threadLock);
        t.start();
        t.join();
        assertThat(t.exitCode()).isZero();
        Lock spawnLock = Multiprocessing.getContext(StartMethod.SPAWN).lock();
        MpProcess s = Multiprocessing.getContext(StartMethod.FORK).process(target, spawnLock);
        s.start();
        s.join();
        assertThat(s.exitCode()).isZero();
    }
}
