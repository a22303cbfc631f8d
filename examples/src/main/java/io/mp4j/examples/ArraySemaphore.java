package io.mp4j.examples;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.shm.Array;
import io.mp4j.ipc.sync.Semaphore;

/**
 * A child sees the parent's change to a shared Array, the two stepping in turn on two semaphores
 * (Educative, "Python Concurrency", Array). Python's {@code id(arr)} is the identity hash here.
 */
@Example(name = "array-semaphore", description = "a child sees arr[0] change from 0 to 100, stepping on two semaphores")
public final class ArraySemaphore {
    private ArraySemaphore() {}

    static void childProcess(Semaphore sem1, Semaphore sem2, Array arr) throws InterruptedException {
        System.out.println("Child process received var = " + arr.get(0) + " with id " + System.identityHashCode(arr) + " from queue");
        System.out.flush();
        sem1.release();
        sem2.acquire();
        System.out.println("After changes by parent process, child process sees var as = " + arr.get(0));
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        Semaphore sem1 = ctx.semaphore(0);
        Semaphore sem2 = ctx.semaphore(0);
        System.out.println("This machine has " + Multiprocessing.cpuCount() + " CPUs");
        Array arr = ctx.array('i', new int[]{0, 1, 2, 3, 4});
        System.out.println("Parent process puts item on queue with id " + System.identityHashCode(arr));
        System.out.flush();
        MpProcess process = Multiprocessing.process(ArraySemaphore::childProcess, sem1, sem2, arr);
        process.start();
        sem1.acquire();
        arr.set(0, arr.getInt(0) + 100);
        System.out.println("Parent process changed the enqueued item to " + arr.get(0));
        System.out.flush();
        sem2.release();
        process.join();
    }
}
