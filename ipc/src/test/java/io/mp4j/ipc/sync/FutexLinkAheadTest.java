package io.mp4j.ipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh JVM links its futex calls on a daemon thread at its first contended wait on a lock (tens of milliseconds;
 * a lock taken free never links them, nor does loading {@link WaitStrategy}), and a thread that has to wait meanwhile polls instead of waiting for the link or sleeping on a futex: checked
 * in a JVM of its own (this one linked long ago), with a lock made and contended at once.
 */
class FutexLinkAheadTest {

    @Test
    void shouldPollWhileTheFutexIsLinkedAndSleepOnItOnceLinked(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                FutexLinkAheadTest.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the fresh JVM ends").isTrue();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out).isZero();
        // first wait: the link had not ended, the waiter polled and never counted as a futex sleeper, and got the lock
        // nothing starts the link from a class's initialisation or a constructor: only a create or an attach does
        assertThat(out).as(out).contains("linkStartedByLoadingTheWaitStrategy=false", "linkStartedByAFreeLock=false");
        assertThat(out).as(out).contains("readyAtFirstWait=false", "polled=true", "sleptOnFutexWhileLinking=false", "firstAcquired=true");
        // once linked: a contended wait sleeps on the futex again and the release wakes it
        assertThat(out).as(out).contains("readyLater=true", "sleptOnFutexLater=true", "laterAcquired=true");
    }

    /** The fresh JVM: {@code args[0]} is a directory for the lock's file. */
    public static void main(String[] args) throws Exception {
        WaitStrategy unused = new WaitStrategy(); // initialises the class: it must start nothing
        boolean linkStartedByLoadingTheWaitStrategy = Futex.linkStarted() || unused == null;
        Lock lock = Lock.create(Path.of(args[0])); // the first primitive of this JVM
        lock.lock();
        lock.unlock();
        boolean linkStartedByAFreeLock = Futex.linkStarted();
        OwnerSync sync = lock.sync();
        boolean readyAtFirstWait = Futex.ready();
        boolean[] slept = new boolean[1];
        boolean firstAcquired = contend(lock, sync, () -> WaitStrategy.POLLED_WAITS.get() > 0, slept);
        boolean polled = WaitStrategy.POLLED_WAITS.get() > 0;
        boolean sleptWhileLinking = slept[0];
        io.mp4j.testkit.Await.until("the futex calls linked", Futex::ready, java.time.Duration.ofSeconds(30));
        boolean readyLater = Futex.ready();
        slept[0] = false;
        boolean laterAcquired = contend(lock, sync, () -> false, slept);
        System.out.println("linkStartedByLoadingTheWaitStrategy=" + linkStartedByLoadingTheWaitStrategy
                + " linkStartedByAFreeLock=" + linkStartedByAFreeLock + " readyAtFirstWait=" + readyAtFirstWait + " polled=" + polled + " sleptOnFutexWhileLinking="
                + sleptWhileLinking + " firstAcquired=" + firstAcquired + " readyLater=" + readyLater
                + " sleptOnFutexLater=" + slept[0] + " laterAcquired=" + laterAcquired);
    }

    /**
     * Holds the lock on another thread while this one waits for it; releases once this thread waits (it polled:
     * {@code waiting}, or sleeps on the futex: counted in sleepers, noted in {@code slept}).
     */
    private static boolean contend(Lock lock, OwnerSync sync, java.util.function.BooleanSupplier waiting, boolean[] slept)
            throws InterruptedException, IOException {
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            lock.lock();
            held.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (sync.getInt(OwnerSync.SLEEPERS) != 0) {
                    slept[0] = true;
                    break;
                }
                if (waiting.getAsBoolean()) break;
                Thread.onSpinWait(); // behaviour: the holder holds the lock until the waiter waits
            }
            lock.unlock();
        });
        holder.start();
        held.await();
        boolean got = lock.tryLock(30, TimeUnit.SECONDS);
        if (got) lock.unlock();
        holder.join();
        return got;
    }
}
