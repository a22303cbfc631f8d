package io.mp4j.ipc.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the lock paths linked and compiled early in a fresh JVM. The first locked updates in a fresh JVM cost
 * 15-35 microseconds each (measured: the first 10,000 take 140-350 ms on a loaded 2-core machine), mostly the
 * one-time linkage of the memory-segment VarHandle access modes, then interpretation; after some tens of
 * thousands they cost tens of nanoseconds. {@link #runNow()} pays that up front: meant for an ahead-of-time
 * cache training run (so the linked forms and profiles are archived) and for warm standby JVMs. With
 * {@code -Dmp4j.sync.warmup=true}, the first lock made or attached in a JVM also starts it on a daemon thread;
 * off by default, because on two busy cores that thread competes with the program it is meant to help
 * (measured: the first 10,000 updates got slower, not faster).
 */
public final class Warmup {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    static final int ITERATIONS = 20_000;

    private Warmup() {}

    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("mp4j.sync.warmup", "false")) || !STARTED.compareAndSet(false, true)) return;
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
