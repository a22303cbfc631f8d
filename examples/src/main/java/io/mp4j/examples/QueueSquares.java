package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.queue.Queue;

/**
 * A parent and a child share one queue: the parent puts 5, the child reads it and puts the squares of
 * 1..5, and the parent prints what is left in the queue after the child ends.
 */
@Example(name = "queue-squares", description = "the child reads 5 from a queue and puts 1, 4, 9, 16, 25 back; the parent prints them")
public final class QueueSquares {
    private QueueSquares() {}

    static void func(Queue<Integer> queue) throws InterruptedException {
        int value = queue.get();
        for (int i = 1; i <= value; i++) queue.put(i * i);
    }

    public static void main(String[] args) throws Exception {
        Queue<Integer> q = Multiprocessing.getContext().queue(Integer.class);
        MpProcess child = Multiprocessing.process(QueueSquares::func, q);
        q.put(5);
        child.start();
        child.join();
        while (!q.isEmpty()) System.out.println(q.get());
    }
}
