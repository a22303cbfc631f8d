package io.mp4j.ipc.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the lock paths compiled early in a fresh JVM. A child JVM that starts a hot loop of locked updates
 * would otherwise run its first tens of thousands of iterations through interpreted VarHandle calls (each
 * about a microsecond), which dominates short runs. The first lock made or attached in a JVM starts one
 * daemon thread that locks and unlocks a Lock and an RLock in private memory some thousands of times, so
 * the JIT compiles them while the program gets going. Off with {@code -Dmp4j.sync.warmup=false}.
 */
public final class Warmup {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    static final int ITERATIONS = 20_000;

    private Warmup() {}

    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("mp4j.sync.warmup", "true")) || !STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(Warmup::run, "mp4j-sync-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Runs the warm-up on the calling thread: for an ahead-of-time cache training run or a warm standby JVM,
     * so that the lock paths are profiled (and their VarHandle forms linked) before any task arrives.
     */
    public static void runNow() {
        STARTED.set(true);
        run();
    }

    private static void run() {
        MemorySegment m = Arena.ofAuto().allocate(128, 64);
        RLock r = RLock.warmup(m.asSlice(0, 64));
        Lock l = Lock.warmup(m.asSlice(64, 64));
        for (int i = 0; i < ITERATIONS; i++) {
            r.lock();
            r.lock();
            r.unlock();
            r.unlock();
            l.lock();
            l.unlock();
        }
    }
}
