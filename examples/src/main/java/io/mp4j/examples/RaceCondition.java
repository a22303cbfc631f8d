package io.mp4j.examples;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Barrier;
import io.mp4j.ipc.sync.Lock;

/**
 * Two processes increase a shared value by reading it, sleeping, and writing it back: without a lock one
 * update is lost (end value 1), with a lock the total is exact (end value 2). The original uses threads and
 * a global; here the value is shared memory, and a barrier makes both processes read before either writes.
 */
@Example(name = "race-condition", description = "increments without a lock lose an update; with a lock the total is exact")
public final class RaceCondition {
    private RaceCondition() {}

    static void increase(Value databaseValue, Barrier start) throws Exception {
        start.await();
        int localCopy = databaseValue.getInt(); // simulating database access
        localCopy += 1;
        Thread.sleep(100);
        // both have read before either writes: the update is lost however long the host keeps one of them waiting
        start.await();
        databaseValue.set(localCopy);
    }

    static void increaseLocked(Value databaseValue, Barrier start, Lock lock) throws Exception {
        start.await();
        lock.acquire();
        try {
            int localCopy = databaseValue.getInt();
            localCopy += 1;
            Thread.sleep(100);
            databaseValue.set(localCopy);
        } finally {
            lock.release();
        }
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        Value databaseValue = ctx.value('i', 0, false);
        Barrier start = ctx.barrier(2);
        System.out.println("Start value:  " + databaseValue.get());
        MpProcess p1 = Multiprocessing.process(RaceCondition::increase, databaseValue, start);
        MpProcess p2 = Multiprocessing.process(RaceCondition::increase, databaseValue, start);
        p1.start();
        p2.start();
        p1.join();
        p2.join();
        System.out.println("End value:  " + databaseValue.get());
        System.out.println("End main");

        Lock lock = ctx.lock();
        databaseValue.set(0);
        System.out.println("Start value:  " + databaseValue.get());
        MpProcess p3 = Multiprocessing.process(RaceCondition::increaseLocked, databaseValue, start, lock);
        MpProcess p4 = Multiprocessing.process(RaceCondition::increaseLocked, databaseValue, start, lock);
        p3.start();
        p4.start();
        p3.join();
        p4.join();
        System.out.println("End value:  " + databaseValue.get());
        System.out.println("End main");
    }
}
