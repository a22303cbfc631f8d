package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.sync.RLock;

/**
 * Two children each acquire a shared RLock five times (printing each time) and release it five times, while
 * the parent holds it at first (Educative, "Python Concurrency", RLock). Which child goes first varies.
 */
@Example(name = "rlock-reentrant", description = "child processes acquire an RLock five times each, then release it five times")
public final class RLockReentrant {
    private RLockReentrant() {}

    static void childTask(RLock rlock) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            rlock.acquire();
            System.out.println("I am child process " + Multiprocessing.currentProcess().getName());
            System.out.flush();
            Thread.sleep(10);
        }
        for (int i = 0; i < 5; i++) rlock.release();
    }

    public static void main(String[] args) throws Exception {
        RLock rlock = Multiprocessing.getContext().rlock();
        rlock.acquire();
        MpProcess process1 = Multiprocessing.process(RLockReentrant::childTask, rlock);
        process1.start();
        MpProcess process2 = Multiprocessing.process(RLockReentrant::childTask, rlock);
        process2.start();
        Thread.sleep(1000); // the original sleeps 3 seconds before releasing the lock
        rlock.release();
        process1.join();
        process2.join();
    }
}
