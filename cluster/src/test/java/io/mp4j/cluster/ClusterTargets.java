package io.mp4j.cluster;

import io.mp4j.shared.MpArray;
import io.mp4j.shared.MpBarrier;
import io.mp4j.shared.MpCondition;
import io.mp4j.shared.MpEvent;
import io.mp4j.shared.MpJoinableQueue;
import io.mp4j.shared.MpLock;
import io.mp4j.shared.MpQueue;
import io.mp4j.shared.MpRLock;
import io.mp4j.shared.MpValue;

import java.util.concurrent.TimeUnit;

/** What the cluster tests run on the nodes: static methods, found by name on each node's class path. */
final class ClusterTargets {
    private ClusterTargets() {}

    /** Set by the pool initializer on the node that runs it. */
    static volatile String initialized;

    static Integer square(Integer x) { return x * x; }

    static Integer add(Integer a, Integer b) { return a + b; }

    static Integer fail(Integer x) { throw new IllegalArgumentException("no square for " + x); }

    static void init(String marker, MpValue runs) {
        initialized = marker;
        runs.getAndAdd(1);
    }

    static String marker(Integer ignored) { return initialized; }

    static void initialized0(String marker) { initialized = marker; }

    static Long nodePid(Integer ignored) { return ProcessHandle.current().pid(); }

    /** Counts each run (at least once per item), waits a little, returns x * 10. */
    static Integer slowTimesTen(Integer x, MpValue runs) throws InterruptedException {
        runs.getAndAdd(1);
        Thread.sleep(150); // behaviour: a task that runs long enough for a node to die mid-map
        return x * 10;
    }

    /** Counts its start in {@code started}, then waits for {@code go}. */
    static Integer blockUntil(MpEvent go, MpValue started) throws InterruptedException {
        started.getAndAdd(1);
        go.await();
        return 7;
    }

    /**
     * Counts its start in {@code state}, then sleeps until interrupted (a timeout, a cancel: the test ends it), adds
     * 100 to {@code state} and ends with the interrupt.
     */
    static Integer sleepUntilInterrupted(MpValue state) throws InterruptedException {
        state.getAndAdd(1);
        try {
            Thread.sleep(120_000); // behaviour: a task that never finishes by itself
        } catch (InterruptedException e) {
            state.getAndAdd(100);
            throw e;
        }
        return 7;
    }

    /** Counts that it ran. */
    static Integer countRun(MpValue ran) {
        ran.getAndAdd(1);
        return 1;
    }

    static void nothing() {}

    static void throwing() { throw new IllegalStateException("the target failed on purpose"); }

    static void waitForEvent(MpEvent e) throws InterruptedException { e.await(); }

    static void squaresInto(MpQueue<Integer> q) throws InterruptedException {
        int n = q.get();
        for (int i = 1; i <= n; i++) q.put(i * i);
    }

    static void consumeAll(MpJoinableQueue<Integer> q, MpValue sum) throws InterruptedException {
        while (true) {
            int v = q.get();
            if (v < 0) {
                q.taskDone();
                return;
            }
            sum.getAndAdd(v);
            q.taskDone();
        }
    }

    static void release(MpLock lock) { lock.release(); }

    static void setEvent(MpEvent e) { e.set(); }

    static void incrementUnderLock(MpValue v, int times) {
        for (int i = 0; i < times; i++) {
            try (var h = v.getLock().hold()) {
                v.set(v.getInt() + 1);
            }
        }
    }

    static void fillArray(MpArray a) {
        for (int i = 0; i < a.length(); i++) a.set(i, i * i);
    }

    static void signalWhenFlagged(MpCondition c, MpValue flag) {
        c.acquire();
        try {
            flag.set(1);
            c.signalAll();
        } finally {
            c.release();
        }
    }

    static void arrive(MpBarrier b) throws Exception { b.await(); }

    static void barrierAction(MpValue trips) { trips.getAndAdd(1); }

    /**
     * Holds the RLock and the Locks named in {@code lockNames} (comma separated) and reports it, then waits for an
     * event that never comes (the test kills this node). A name starting with {@code !} is a Lock the program holds:
     * this process releases it first (as Python allows), then takes it.
     */
    static void holdLocks(MpRLock rlock, String lockNames, MpEvent held, MpEvent never) throws InterruptedException {
        rlock.lock();
        for (String n : lockNames.split(",")) {
            boolean releaseFirst = n.startsWith("!");
            ClusterLock l = ClusterLock.attach(new ClusterLock.Handle(releaseFirst ? n.substring(1) : n));
            if (releaseFirst) l.release();
            l.lock();
        }
        held.set();
        never.await();
    }

    /** Takes the lock within {@code seconds} and releases it; fails (exit code 1) if it could not. */
    static void takeLockWithin(MpLock lock, Integer seconds) throws InterruptedException {
        if (!lock.tryLock(seconds, TimeUnit.SECONDS)) throw new IllegalStateException("lock not taken within " + seconds + " s");
        lock.release();
    }
}
