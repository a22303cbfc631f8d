package io.mp4j.examples;

import io.mp4j.BaseContext;
import io.mp4j.BaseProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.shared.MpJoinableQueue;

/**
 * Ten daemon worker processes take values from a joinable queue and mark each one done; the parent puts
 * 1..10 and its {@code join()} returns once all ten are done. The daemons are ended when the parent exits.
 */
@Example(name = "joinable-queue-workers", description = "10 workers process 1..10 from a JoinableQueue with taskDone; the parent's join returns after all 10")
public final class JoinableQueueWorkers {
    private JoinableQueueWorkers() {}

    static void worker(MpJoinableQueue<Integer> q) throws InterruptedException {
        while (true) {
            int value = q.get();
            // process q
            System.out.println(Multiprocessing.currentProcess().getName() + " got value " + value + " \n");
            System.out.flush();
            q.taskDone();
        }
    }

    public static void main(String[] args) throws Exception { run(Multiprocessing.getContext()); }

    /** The example on {@code ctx}'s processes and joinable queue ({@code --cluster}: a local cluster's). */
    public static void run(BaseContext ctx) throws Exception {
        MpJoinableQueue<Integer> q = ctx.joinableQueue(Integer.class);
        int numWorkers = 10;
        for (int i = 0; i < numWorkers; i++) {
            BaseProcess p = ctx.process(JoinableQueueWorkers::worker, q);
            p.setDaemon(true);
            p.start();
        }
        for (int i = 1; i <= 10; i++) q.put(i);
        q.join();
        System.out.println("End Main");
    }
}
