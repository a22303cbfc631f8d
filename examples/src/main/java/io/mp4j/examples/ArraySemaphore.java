package io.mp4j.examples;

import io.mp4j.BaseContext;
import io.mp4j.BaseProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.shared.MpArray;
import io.mp4j.shared.MpSemaphore;

/**
 * A child sees the parent's change to a shared Array, the two stepping in turn on two semaphores
 * (Educative, "Python Concurrency", Array). Python's {@code id(arr)} is the identity hash here.
 */
@Example(name = "array-semaphore", description = "a child sees arr[0] change from 0 to 100, stepping on two semaphores")
public final class ArraySemaphore {
    private ArraySemaphore() {}

    static void childProcess(MpSemaphore sem1, MpSemaphore sem2, MpArray arr) throws InterruptedException {
        System.out.println("Child process received var = " + arr.get(0) + " with id " + System.identityHashCode(arr) + " from queue");
        System.out.flush();
        sem1.release();
        sem2.acquire();
        System.out.println("After changes by parent process, child process sees var as = " + arr.get(0));
        System.out.flush();
    }

    public static void main(String[] args) throws Exception { run(Multiprocessing.getContext()); }

    /** The example on {@code ctx}'s process, semaphores and array ({@code --cluster}: a local cluster's). */
    public static void run(BaseContext ctx) throws Exception {
        MpSemaphore sem1 = ctx.semaphore(0);
        MpSemaphore sem2 = ctx.semaphore(0);
        System.out.println("This machine has " + Multiprocessing.cpuCount() + " CPUs");
        MpArray arr = ctx.array('i', new int[]{0, 1, 2, 3, 4});
        System.out.println("Parent process puts item on queue with id " + System.identityHashCode(arr));
        System.out.flush();
        BaseProcess process = ctx.process(ArraySemaphore::childProcess, sem1, sem2, arr);
        process.start();
        sem1.acquire();
        arr.set(0, arr.getInt(0) + 100);
        System.out.println("Parent process changed the enqueued item to " + arr.get(0));
        System.out.flush();
        sem2.release();
        process.join();
    }
}
