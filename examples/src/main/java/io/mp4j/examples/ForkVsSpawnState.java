package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;

/**
 * The classic start-method example: the parent changes a static field before {@code start()}. A FORK
 * child gets the parent's snapshot and prints 999; SPAWN and FORKSERVER children start from the class's
 * initial state and print 777; a THREAD "process" shares the parent's memory and prints 999.
 */
@Example(name = "fork-vs-spawn-state", description = "a static field changed before start(): fork prints 999, spawn and forkserver 777")
public final class ForkVsSpawnState {
    private ForkVsSpawnState() {}

    static final class Test {
        static int value = 777;

        private Test() {}
    }

    static void processTask() {
        System.out.println(Test.value);
    }

    public static void main(String[] args) throws Exception {
        // change the value of Test.value before creating a new process
        Test.value = 999;
        MpProcess process = Multiprocessing.process(ForkVsSpawnState::processTask).setName("process-1");
        process.start();
        process.join();
    }
}
