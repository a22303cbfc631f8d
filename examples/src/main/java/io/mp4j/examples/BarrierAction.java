package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.sync.Barrier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Five processes arrive at a barrier at random times; the last to arrive runs the action, which reports
 * its name (Educative, "Python Concurrency", Barrier). The original sleeps 0 to 5 seconds; this port sleeps
 * 0 to 500 milliseconds.
 */
@Example(name = "barrier-action", description = "five processes meet at a barrier; its action runs once and names the process that ran it")
public final class BarrierAction {
    private BarrierAction() {}

    static final int NUM_PROCESSES = 5;

    static void processTask(Barrier barrier) throws Exception {
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 6) * 100L);
        System.out.println("\nCurrently " + barrier.getNumberWaiting() + " processes blocked on barrier");
        System.out.flush();
        barrier.await();
    }

    static void whenAllProcessesReleased() {
        System.out.println("\nAll processes released, reported by " + Multiprocessing.currentProcess().getName());
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Barrier barrier = Multiprocessing.getContext().barrier(NUM_PROCESSES, BarrierAction::whenAllProcessesReleased, null);
        List<MpProcess> processes = new ArrayList<>();
        for (int i = 0; i < NUM_PROCESSES; i++) processes.add(Multiprocessing.process(BarrierAction::processTask, barrier));
        for (MpProcess p : processes) p.start();
        for (MpProcess p : processes) p.join();
    }
}
