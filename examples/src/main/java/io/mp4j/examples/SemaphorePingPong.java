package io.mp4j.examples;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Semaphore;

/**
 * Two processes print ping and pong in strict alternation on two semaphores, until a shared boolean says
 * stop (Educative, "Python Concurrency", Semaphore). The original stops after 3 seconds; this port stops
 * after ten rounds, the pong side setting the boolean, so that every run prints the same lines.
 */
@Example(name = "semaphore-ping-pong", description = "ping and pong alternate strictly on two semaphores until a shared boolean stops them")
public final class SemaphorePingPong {
    private SemaphorePingPong() {}

    static final int ROUNDS = 10;

    static void processA(Semaphore sem1, Semaphore sem2, Value exit) throws InterruptedException {
        while (!exit.getBoolean()) {
            System.out.println("ping");
            System.out.flush();
            sem1.release();
            sem2.acquire();
            Thread.sleep(50);
        }
    }

    static void processB(Semaphore sem1, Semaphore sem2, Value exit) throws InterruptedException {
        int rounds = 0;
        while (!exit.getBoolean()) {
            sem1.acquire(); // wait for a ping
            System.out.println("pong");
            System.out.flush();
            if (++rounds == ROUNDS) exit.set(true); // seen by A before it wakes from sem2
            sem2.release();
            Thread.sleep(50);
        }
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        Semaphore sem1 = ctx.semaphore(0);
        Semaphore sem2 = ctx.semaphore(0);
        Value exitProg = ctx.value('?', false);
        MpProcess a = Multiprocessing.process(SemaphorePingPong::processA, sem1, sem2, exitProg);
        a.start();
        MpProcess b = Multiprocessing.process(SemaphorePingPong::processB, sem1, sem2, exitProg);
        b.start();
        a.join();
        b.join();
    }
}
