package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.sync.Lock;

import java.util.Random;

/**
 * The parent fills a queue with 100 random digits; two children empty it, each checking and taking under
 * a shared lock so that neither blocks on a queue the other just emptied. The counts add up to 100.
 */
@Example(name = "queue-consumers", description = "two children share 100 items of a queue under a Lock and report how many each processed")
public final class QueueConsumers {
    private QueueConsumers() {}

    static void childProcess(Queue<Integer> q, java.util.concurrent.locks.Lock lock) throws InterruptedException {
        int count = 0;
        boolean keepGoing = true;
        while (keepGoing) {
            lock.lock();
            try {
                if (!q.isEmpty()) {
                    System.out.println(q.get());
                    count++;
                } else {
                    keepGoing = false;
                }
            } finally {
                lock.unlock();
            }
            // so that not all items get processed by a single process
            Thread.sleep(1);
        }
        System.out.println("child process " + Multiprocessing.currentProcess().getName() + " processed " + count + " items from the queue");
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        System.out.println("This machine has " + Multiprocessing.cpuCount() + " CPUs");
        Lock lock = Multiprocessing.getContext().lock();
        Queue<Integer> q = Multiprocessing.getContext().queue(Integer.class);
        Random random = new Random();
        for (int i = 0; i < 100; i++) q.put(random.nextInt(10));

        MpProcess p1 = Multiprocessing.process(QueueConsumers::childProcess, q, lock);
        MpProcess p2 = Multiprocessing.process(QueueConsumers::childProcess, q, lock);
        p1.start();
        p2.start();
        p1.join();
        p2.join();
    }
}
