package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.queue.QueueEmptyException;

import java.time.Duration;
import java.util.Random;

/**
 * Two children empty a queue of 100 random digits with non-blocking gets: when the other child took the
 * last item between {@code isEmpty()} and {@code get}, the get throws {@link QueueEmptyException}
 * (Python's {@code queue.Empty}) and the child just checks again.
 */
@Example(name = "non-blocking-queue", description = "two children empty a queue with non-blocking gets, handling the Empty case")
public final class NonBlockingQueue {
    private NonBlockingQueue() {}

    static void childProcess(Queue<Integer> q) throws InterruptedException {
        int count = 0;
        while (!q.isEmpty()) {
            try {
                System.out.println(q.get(false, Duration.ofSeconds(5)));
                count++;
            } catch (QueueEmptyException e) {
                // the other child got there first
            }
        }
        System.out.println("child process " + Multiprocessing.currentProcess().getName() + " processed " + count + " items from the queue");
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Queue<Integer> q = Multiprocessing.getContext().queue(Integer.class);
        System.out.println("This machine has " + Multiprocessing.cpuCount() + " CPUs");
        Random random = new Random();
        for (int i = 0; i < 100; i++) q.put(random.nextInt(10));

        MpProcess p1 = Multiprocessing.process(NonBlockingQueue::childProcess, q);
        MpProcess p2 = Multiprocessing.process(NonBlockingQueue::childProcess, q);
        p1.start();
        p2.start();
        p1.join();
        p2.join();
    }
}
